import { describe, expect, it, vi } from "vitest";
import { TtlCache } from "./ttl-cache";

const loader = <V>(value: V) => vi.fn(() => Promise.resolve(value));

describe("TtlCache", () => {
  it("evicts only the least recently used entry when a 1,001st is added", async () => {
    const cache = new TtlCache<string>(60_000);
    for (let i = 0; i < 1000; i++) await cache.get(`k${i}`, loader(`v${i}`));
    await cache.get("k0", loader("reloaded")); // k0 is now recently used; k1 is the oldest
    await cache.get("k1000", loader("v1000"));
    const load = loader("reloaded");
    for (let i = 0; i <= 1000; i++) {
      if (i !== 1) expect(await cache.get(`k${i}`, load)).toBe(`v${i}`);
    }
    expect(load).not.toHaveBeenCalled();
    expect(cache.peek("k1")).toBeUndefined();
    expect(await cache.get("k1", load)).toBe("reloaded");
    expect(load).toHaveBeenCalledOnce();
  });

  it("shares one load between concurrent misses of the same key", async () => {
    const cache = new TtlCache<number>(60_000);
    const loads: ((value: number) => void)[] = [];
    const load = vi.fn(() => new Promise<number>((resolve) => loads.push(resolve)));
    const gets = Array.from({ length: 10 }, () => cache.get("k", load));
    for (const finish of loads) finish(42);
    expect(await Promise.all(gets)).toEqual(Array(10).fill(42));
    expect(load).toHaveBeenCalledOnce();
    expect(await cache.get("k", load)).toBe(42);
    expect(load).toHaveBeenCalledOnce();
  });

  it("does not cache a failed load; its waiters all see the failure and the next get loads again", async () => {
    const cache = new TtlCache<string>(60_000);
    const failing = vi.fn(() => Promise.reject(new Error("KMS down")));
    const gets = Array.from({ length: 3 }, () => cache.get("k", failing));
    for (const get of gets) await expect(get).rejects.toThrow("KMS down");
    expect(failing).toHaveBeenCalledOnce();
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.get("k", loader("ok"))).toBe("ok");
    const throwing = () => {
      throw new Error("at once");
    };
    await expect(cache.get("t", throwing)).rejects.toThrow("at once");
    expect(await cache.get("t", loader("ok"))).toBe("ok");
  });

  it("caches undefined like any other value", async () => {
    const cache = new TtlCache<string | undefined>(60_000);
    await cache.get("k", loader(undefined));
    const load = loader("later");
    expect(await cache.get("k", load)).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });

  it("expires entries after the ttl", async () => {
    const cache = new TtlCache<string>(30);
    await cache.get("k", loader("old"));
    expect(cache.peek("k")).toBe("old");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.get("k", loader("new"))).toBe("new");
  });

  it("does not cache a load that was in flight when its key was deleted", async () => {
    const cache = new TtlCache<string>(60_000);
    const loads: ((value: string) => void)[] = [];
    const pending = cache.get("k", () => new Promise<string>((resolve) => loads.push(resolve)));
    cache.delete("k"); // e.g. the key was rotated while the old row was being read
    for (const finish of loads) finish("stale");
    expect(await pending).toBe("stale");
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.get("k", loader("fresh"))).toBe("fresh");
  });
});

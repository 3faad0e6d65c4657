import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { admission } from "./admission";

const gate = () => {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

describe("bounded admission", () => {
  it("runs up to the limit at once and refuses the next at once with 503 overloaded", async () => {
    const limited = admission("test", () => 2);
    const g = gate();
    const first = limited.run(() => g.opened.then(() => "a"));
    const second = limited.run(() => g.opened.then(() => "b"));
    const refused = await limited.run(() => Promise.resolve("c")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("overloaded");
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).options.headers).toEqual({ "retry-after": "1" });
    g.open();
    expect(await Promise.all([first, second])).toEqual(["a", "b"]);
    // Finished work frees its place.
    expect(await limited.run(() => Promise.resolve("d"))).toBe("d");
  });
  it("frees the place of work that failed", async () => {
    const limited = admission("test", () => 1);
    await expect(limited.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limited.inFlight()).toBe(0);
    expect(await limited.run(() => Promise.resolve(1))).toBe(1);
  });
  it("does not limit when the limit is 0", async () => {
    const limited = admission("test", () => 0);
    const g = gate();
    const many = Array.from({ length: 50 }, () => limited.run(() => g.opened));
    expect(limited.inFlight()).toBe(50);
    g.open();
    await Promise.all(many);
  });
});

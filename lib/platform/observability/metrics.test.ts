import { describe, expect, it, vi } from "vitest";
import { TtlCache } from "@/lib/platform/cache/ttl-cache";
import { metrics, registerGauge, registerGauges, renderMetrics } from "./metrics";
import { routeTemplate } from "./observe-route";

// The failing gauge's warning is expected here (env() and the logger are read lazily).
vi.stubEnv("LOG_LEVEL", "silent");

const valueOf = async (name: string, labels = "") => {
  const { body } = await renderMetrics();
  const line = body.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("scrape-time gauges", () => {
  it("are collected at each scrape, several from one collect", async () => {
    let depth = 3;
    registerGauge("pqseal_test_depth", "test", () => depth);
    registerGauges({ pqseal_test_a: "a", pqseal_test_b: "b" }, () =>
      Promise.resolve({ pqseal_test_a: 1, pqseal_test_b: 2 }),
    );
    expect(await valueOf("pqseal_test_depth")).toBe(3);
    depth = 5;
    expect(await valueOf("pqseal_test_depth")).toBe(5);
    expect([await valueOf("pqseal_test_a"), await valueOf("pqseal_test_b")]).toEqual([1, 2]);
  });

  it("read NaN (never 0) when their collect fails, which is counted; the others still render", async () => {
    registerGauge("pqseal_test_ok", "test", () => 7);
    registerGauge("pqseal_test_broken", "test", () => Promise.reject(new Error("db down")));
    expect(await valueOf("pqseal_test_broken")).toBeNaN();
    expect(await valueOf("pqseal_test_ok")).toBe(7);
    expect(
      await valueOf("pqseal_metrics_collect_failures_total", '{gauge="pqseal_test_broken"}'),
    ).toBeGreaterThanOrEqual(1);
    // Replacing the collect (a re-registration) recovers it.
    registerGauge("pqseal_test_broken", "test", () => 0);
    expect(await valueOf("pqseal_test_broken")).toBe(0);
  });
});

describe("cache lookups", () => {
  it("are counted by cache name: a hit, a miss, and a load in flight joined as a hit", async () => {
    const cache = new TtlCache<string>(60_000, "test_cache");
    const hits = '{cache="test_cache",result="hit"}';
    const misses = '{cache="test_cache",result="miss"}';
    const load = (value: string) => () => Promise.resolve(value);
    await Promise.all([cache.get("k", load("v")), cache.get("k", load("w"))]);
    await cache.get("k", load("x"));
    cache.peek("absent");
    expect(await valueOf("pqseal_cache_lookups_total", hits)).toBe(2);
    expect(await valueOf("pqseal_cache_lookups_total", misses)).toBe(2);
  });
});

describe("routeTemplate", () => {
  it("replaces path ids by their param names", () => {
    expect(routeTemplate("/api/v2/proxy/outbound", {})).toBe("/api/v2/proxy/outbound");
    expect(
      routeTemplate("/api/v2/vault/credentials/cred_01ABC/rotate", { credentialId: "cred_01ABC" }),
    ).toBe("/api/v2/vault/credentials/[credentialId]/rotate");
    expect(routeTemplate("/api/v2/integrations/int_%41", { integrationId: "int_A" })).toBe(
      "/api/v2/integrations/[integrationId]",
    );
  });

  it("keeps the number of route labels bounded", () => {
    metrics().routes.clear();
    for (let i = 0; i < 100; i++) expect(routeTemplate(`/api/v2/x${i}`, {})).toBe(`/api/v2/x${i}`);
    expect(routeTemplate("/api/v2/one-too-many", {})).toBe("other");
    expect(routeTemplate("/api/v2/x7", {})).toBe("/api/v2/x7");
    metrics().routes.clear();
  });
});

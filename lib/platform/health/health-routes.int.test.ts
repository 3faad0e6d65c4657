import { describe, expect, it, vi } from "vitest";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import type * as CheckHealth from "./check-health";

// `down`: the database answers as an unreachable one would (check-health.int.test.ts covers
// how checkHealth tells; here, what the routes make of it).
const database = vi.hoisted(() => ({ down: false }));
vi.mock("@/lib/platform/health/check-health", async (importOriginal) => {
  const real = await importOriginal<typeof CheckHealth>();
  return {
    ...real,
    currentHealth: () =>
      database.down
        ? Promise.resolve({
            status: "unavailable" as const,
            database: { reachable: false, driver: "pglite" as const },
            migrations: { state: "unknown" as const, applied: null, expected: 1 },
          })
        : real.currentHealth(),
  };
});

describe("liveness and readiness", () => {
  it("are both 200 with a reachable, migrated database", async () => {
    database.down = false;
    const [l, r] = [live(), await ready()];
    expect([l.status, r.status]).toEqual([200, 200]);
    expect(await l.json()).toEqual({ status: "ok" });
    expect(await r.json()).toEqual({ status: "ok" });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("stay apart when the database is down: live 200, ready 503", async () => {
    database.down = true;
    const [l, r] = [live(), await ready()];
    expect(l.status).toBe(200);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: "unavailable" });
    database.down = false;
  });
});

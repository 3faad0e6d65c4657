import { describe, expect, it, vi } from "vitest";
import { repeat } from "./repeat";

vi.mock("@/lib/platform/log/logger", () => ({
  logger: () => ({ error: vi.fn(), warn: vi.fn() }),
}));

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("repeat", () => {
  it("never runs two passes at once, and starts none after stop", async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    const job = repeat(
      "test",
      async () => {
        passes++;
        most = Math.max(most, ++active);
        await tick(30);
        active--;
      },
      { everyMs: 5 },
    );
    await tick(100);
    await job.stop(1000);
    const after = passes;
    expect(most).toBe(1);
    expect(after).toBeGreaterThan(1);
    expect(active).toBe(0);
    await tick(30);
    expect(passes).toBe(after);
  });

  it("lets the pass in flight finish within the grace period", async () => {
    let finished = false;
    let aborted = false;
    const job = repeat(
      "test",
      async (signal) => {
        await tick(50);
        aborted = signal.aborted;
        finished = true;
      },
      { everyMs: 1000, firstAfterMs: 0 },
    );
    await tick(10);
    await job.stop(1000);
    expect([finished, aborted]).toEqual([true, false]);
  });

  it("aborts the pass in flight after the grace period and waits for it to hand back", async () => {
    let handedBack = false;
    const job = repeat(
      "test",
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => {
            handedBack = true;
            resolve();
          }),
        ),
      { everyMs: 1000, firstAfterMs: 0 },
    );
    await tick(10);
    const started = Date.now();
    await job.stop(50);
    expect(handedBack).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("gives up on a pass that ignores the abort after abortedMs", async () => {
    const job = repeat("test", () => new Promise(() => {}), { everyMs: 1000, firstAfterMs: 0 });
    await tick(10);
    const started = Date.now();
    await job.stop(20, 20);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

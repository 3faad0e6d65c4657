import { beforeEach, describe, expect, it, vi } from "vitest";
import { startJobs } from "@/lib/jobs";
import { startBackgroundJobs } from "./start-up";

vi.mock("@/lib/jobs", () => ({ startJobs: vi.fn(() => ({ stop: () => Promise.resolve() })) }));

// The decision the web server makes at start-up: with PQSEAL_JOBS=off the forwarder and the
// audit jobs (everything lib/jobs.ts starts) are left to the worker.
describe("startBackgroundJobs", () => {
  beforeEach(() => {
    vi.mocked(startJobs).mockClear();
    delete (globalThis as { pqsealJobs?: unknown }).pqsealJobs;
  });

  it("starts no job in a web server told PQSEAL_JOBS=off", () => {
    expect(startBackgroundJobs({ PQSEAL_JOBS: "off" })).toBe(false);
    expect(startJobs).not.toHaveBeenCalled();
  });

  it("starts the jobs in-process, once however often start-up runs", () => {
    expect(startBackgroundJobs({ PQSEAL_JOBS: "in-process" })).toBe(true);
    expect(startBackgroundJobs({ PQSEAL_JOBS: "in-process" })).toBe(true);
    expect(startJobs).toHaveBeenCalledTimes(1);
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";
import { startJobs } from "@/lib/jobs";
import { startTracing } from "@/lib/platform/observability/start-tracing";
import { startBackgroundJobs, startTraceExport } from "./start-up";

vi.mock("@/lib/jobs", () => ({ startJobs: vi.fn(() => ({ stop: () => Promise.resolve() })) }));
vi.mock("@/lib/platform/observability/start-tracing", () => ({ startTracing: vi.fn() }));
const logged = vi.hoisted(() => [] as unknown[]);
vi.mock("@/lib/platform/log/logger", () => ({
  logger: () => ({ info: (...args: unknown[]) => logged.push(args) }),
}));

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

describe("startTraceExport", () => {
  it("exports nothing unless a collector is configured", async () => {
    await startTraceExport({ OTEL_SERVICE_NAME: "pqseal" });
    expect(startTracing).not.toHaveBeenCalled();
  });

  it("sends spans to the configured endpoint and logs only its origin", async () => {
    const endpoint = "https://collector.example.com:4318/tenant-a/otlp?api_key=s3cr3t";
    await startTraceExport({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "pqseal" });
    expect(startTracing).toHaveBeenCalledWith(endpoint, "pqseal");
    expect(logged).toEqual([
      [{ endpoint: "https://collector.example.com:4318" }, "exporting traces (OTLP/HTTP)"],
    ]);
  });
});

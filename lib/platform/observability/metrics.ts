import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { logger } from "@/lib/platform/log/logger";

// The Prometheus metrics of this process (GET /api/metrics, lib/metrics.ts). Labels stay
// low-cardinality: route templates, operations, outcomes, error codes, cache names; never a
// tenant, key, integration, number or SID. One registry per process, kept on globalThis:
// Next.js bundles route handlers and instrumentation separately, and every bundle must count
// into the registry the metrics route renders.

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Scrape-time gauges set by one `collect` (one cheap query, or in-process state). */
interface GaugeSource {
  gauges: Map<string, Gauge>;
  collect: () => Promise<Record<string, number>> | Record<string, number>;
}

function create() {
  const registry = new Registry();
  // process_* and nodejs_* under their usual names, so stock Node.js dashboards work.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    sources: new Map<string, GaugeSource>(),
    /** The route labels seen so far (observe-route.ts bounds them). */
    routes: new Set<string>(),
    httpRequests: new Counter({
      name: "pqseal_http_requests_total",
      help: "Requests to /api/v2, by route template, method and HTTP status.",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "pqseal_http_request_duration_seconds",
      help: "Time to answer a request to /api/v2, by route template and method.",
      labelNames: ["route", "method"] as const,
      buckets: SECONDS,
      registers,
    }),
    proxyRequests: new Counter({
      name: "pqseal_proxy_requests_total",
      help: "Proxied operations by operation and outcome (succeeded, twilio_failed, replayed, refused, unavailable, audit_pending, error).",
      labelNames: ["operation", "outcome"] as const,
      registers,
    }),
    proxyDuration: new Histogram({
      name: "pqseal_proxy_request_duration_seconds",
      help: "Time through the proxy pipeline (policy, limits, Twilio, audit, envelope), by operation and outcome.",
      labelNames: ["operation", "outcome"] as const,
      buckets: SECONDS,
      registers,
    }),
    twilioRequests: new Counter({
      name: "pqseal_twilio_requests_total",
      help: "Calls to Twilio by operation, result (ok, refused, upstream_failure) and code (ok, twilio_<code>, twilio_timeout, twilio_unavailable, twilio_unreachable, twilio_http_<status>).",
      labelNames: ["operation", "result", "code"] as const,
      registers,
    }),
    twilioDuration: new Histogram({
      name: "pqseal_twilio_request_duration_seconds",
      help: "Time Twilio took to answer, by operation.",
      labelNames: ["operation"] as const,
      buckets: SECONDS,
      registers,
    }),
    limitRefusals: new Counter({
      name: "pqseal_limit_refusals_total",
      help: "Requests refused by the abuse limits, by error code.",
      labelNames: ["code"] as const,
      registers,
    }),
    webhookIntake: new Counter({
      name: "pqseal_webhook_intake_total",
      help: "Twilio webhooks received, by kind and outcome (accepted, unauthenticated, refused, invalid_body, too_large, unknown_kind, error).",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    forwardAttempts: new Counter({
      name: "pqseal_webhook_forward_attempts_total",
      help: "Forwarding attempts by outcome (delivered, retry, dead).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: "pqseal_cache_lookups_total",
      help: "In-process cache lookups by cache and result (hit, miss).",
      labelNames: ["cache", "result"] as const,
      registers,
    }),
    collectFailures: new Counter({
      name: "pqseal_metrics_collect_failures_total",
      help: "Scrape-time gauges that could not be collected (they read NaN in that scrape).",
      labelNames: ["gauge"] as const,
      registers,
    }),
  };
}

const globalForMetrics = globalThis as unknown as { pqsealMetrics?: ReturnType<typeof create> };

/** The process's metrics (created on first use). */
export function metrics() {
  globalForMetrics.pqsealMetrics ??= create();
  return globalForMetrics.pqsealMetrics;
}

/**
 * Registers (or replaces) gauges whose values one `collect` answers when Prometheus scrapes,
 * `help` naming each. Features register theirs from the composition root, lib/metrics.ts:
 * platform code never imports them.
 */
export function registerGauges<K extends string>(
  help: Record<K, string>,
  collect: () => Promise<Record<K, number>> | Record<K, number>,
): void {
  const m = metrics();
  const names = Object.keys(help) as K[];
  const key = names.join(",");
  const gauges = m.sources.get(key)?.gauges ?? new Map<string, Gauge>();
  for (const name of names) {
    if (!gauges.has(name)) {
      gauges.set(name, new Gauge({ name, help: help[name], registers: [m.registry] }));
    }
  }
  m.sources.set(key, { gauges, collect });
}

/** One scrape-time gauge (registerGauges with one name). */
export function registerGauge(
  name: string,
  help: string,
  collect: () => Promise<number> | number,
): void {
  registerGauges({ [name]: help }, async () => ({ [name]: await collect() }));
}

/**
 * The exposition text: every scrape-time gauge collected first (concurrently; one that fails
 * reads NaN in this scrape, is counted and logged, and never fails the others).
 */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  await Promise.all(
    [...m.sources.entries()].map(async ([key, source]) => {
      try {
        const values = await source.collect();
        for (const [name, gauge] of source.gauges) gauge.set(values[name] ?? Number.NaN);
      } catch (error) {
        // NaN, not 0: "no dead letters" must never be claimed unseen.
        for (const gauge of source.gauges.values()) gauge.set(Number.NaN);
        m.collectFailures.inc({ gauge: key });
        logger().warn({ err: error, gauge: key }, "metrics gauge not collected");
      }
    }),
  );
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}

/** Seconds since `startedAt` (performance.now()), for the histograms. */
export const secondsSince = (startedAt: number) => (performance.now() - startedAt) / 1000;

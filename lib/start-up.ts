import "server-only";
import { ensureMigrated, getDbHandle } from "@/db";
import { envOrExit, type Env } from "@/lib/platform/config/env";
import { authSecret } from "@/lib/platform/auth/auth-secret";
import { localMasterKey } from "@/lib/platform/kms/local-master-key";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { logger } from "@/lib/platform/log/logger";
import { stampPeerAddresses } from "@/lib/platform/http/client-address";
import { drainSpool } from "@/lib/platform/audit/spool";
import { proxySpoolHandlers } from "@/lib/features/proxy/record-outcome";
import { startJobs, type Jobs } from "@/lib/jobs";

/** Runs once when the server starts: check configuration, then apply migrations. */
export async function startUp(): Promise<void> {
  const e = envOrExit("PQSeal");
  // First, so every span of this process reaches the collector; without it spans are no-ops.
  await startTraceExport(e);
  // Before the first request: every request carries its TCP peer (client-address.ts).
  stampPeerAddresses();
  authSecret();
  localMasterKey();
  const { driver } = getDbHandle();
  await ensureMigrated();
  logger().info({ driver }, "database ready, migrations applied");
  const backend = await serverBackend();
  logger().info({ backend: backend.name }, "crypto backend ready");
  // The spool is this server's own disk: it is drained here whatever PQSEAL_JOBS says.
  scheduleSpoolRecovery();
  if (!startBackgroundJobs(e)) {
    logger().info("background jobs are off here (PQSEAL_JOBS=off): npm run worker runs them");
  }
}

/**
 * Registers the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set. The log names the
 * collector by its origin only: a path or query (a vendor's token) stays out of the log.
 */
export async function startTraceExport(
  e: Pick<Env, "OTEL_EXPORTER_OTLP_ENDPOINT" | "OTEL_SERVICE_NAME">,
): Promise<void> {
  if (!e.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const { startTracing } = await import("@/lib/platform/observability/start-tracing");
  startTracing(e.OTEL_EXPORTER_OTLP_ENDPOINT, e.OTEL_SERVICE_NAME);
  logger().info(
    { endpoint: new URL(e.OTEL_EXPORTER_OTLP_ENDPOINT).origin },
    "exporting traces (OTLP/HTTP)",
  );
}

const globalForJobs = globalThis as unknown as {
  pqsealSpoolRecovery?: NodeJS.Timeout;
  pqsealJobs?: Jobs;
};

/**
 * Webhook forwarding and the audit jobs (lib/jobs.ts) run in this process unless
 * PQSEAL_JOBS=off hands them to the worker. Returns whether they run here.
 */
export function startBackgroundJobs(e: Pick<Env, "PQSEAL_JOBS">): boolean {
  if (e.PQSEAL_JOBS === "off") return false;
  globalForJobs.pqsealJobs ??= startJobs();
  return true;
}

/**
 * Audit events spooled to disk during a database outage (after Twilio had answered) are
 * written as soon as the database takes them again: tried at start and every 15 s.
 */
function scheduleSpoolRecovery(): void {
  if (globalForJobs.pqsealSpoolRecovery) return;
  const run = async () => {
    try {
      const written = await drainSpool(proxySpoolHandlers);
      if (written) logger().info({ written }, "spooled audit events written");
    } catch (error) {
      logger().error({ err: error }, "audit spool recovery failed");
    }
  };
  globalForJobs.pqsealSpoolRecovery = setInterval(() => void run(), 15_000);
  globalForJobs.pqsealSpoolRecovery.unref();
  void run();
}

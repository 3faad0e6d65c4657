import "server-only";
import { ensureMigrated, getDbHandle } from "@/db";
import { env, EnvError } from "@/lib/platform/config/env";
import { authSecret } from "@/lib/platform/auth/auth-secret";
import { localMasterKey } from "@/lib/platform/kms/local-master-key";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { logger } from "@/lib/platform/log/logger";
import { stampPeerAddresses } from "@/lib/platform/http/client-address";
import { signDueCheckpoints } from "@/lib/features/audit/checkpoints";
import { purgeAllTenants } from "@/lib/features/audit/purge";
import { purgeRateData } from "@/lib/features/proxy/limits";
import { drainSpool } from "@/lib/platform/audit/spool";
import { proxySpoolHandlers } from "@/lib/features/proxy/record-outcome";
import { startForwarder } from "@/lib/features/webhooks/forward";

/** Runs once when the server starts: check configuration, then apply migrations. */
export async function startUp(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      // Printed plainly (not through the logger, whose level comes from the bad config).
      console.error(`PQSeal cannot start. ${error.message}\nSee .env.example for every variable.`);
      process.exit(1);
    }
    throw error;
  }
  // Before the first request: every request carries its TCP peer (client-address.ts).
  stampPeerAddresses();
  authSecret();
  localMasterKey();
  const { driver } = getDbHandle();
  await ensureMigrated();
  logger().info({ driver }, "database ready, migrations applied");
  const backend = await serverBackend();
  logger().info({ backend: backend.name }, "crypto backend ready");
  scheduleAuditJobs();
  scheduleSpoolRecovery();
  // The webhook forwarding worker: claims due deliveries from PostgreSQL every 2 s.
  if (!globalForJobs.pqsealForwarder) {
    globalForJobs.pqsealForwarder = startForwarder();
    globalForJobs.pqsealForwarder.unref();
  }
}

const globalForJobs = globalThis as unknown as {
  pqsealSpoolRecovery?: NodeJS.Timeout;
  pqsealAuditJobs?: NodeJS.Timeout;
  pqsealForwarder?: NodeJS.Timeout;
};

/** Daily checkpoints and retention purge, checked every AUDIT_CHECKPOINT_INTERVAL_MINUTES (0: off). */
function scheduleAuditJobs(): void {
  const minutes = env().AUDIT_CHECKPOINT_INTERVAL_MINUTES;
  if (minutes === 0 || globalForJobs.pqsealAuditJobs) return;
  const run = async () => {
    try {
      const purged = await purgeAllTenants();
      const signed = await signDueCheckpoints();
      await purgeRateData();
      if (purged || signed) logger().info({ purged, signed }, "audit jobs ran");
    } catch (error) {
      logger().error({ err: error }, "audit jobs failed");
    }
  };
  globalForJobs.pqsealAuditJobs = setInterval(() => void run(), minutes * 60_000);
  globalForJobs.pqsealAuditJobs.unref();
  setTimeout(() => void run(), 30_000).unref();
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

import "server-only";
import { signDueCheckpoints } from "@/lib/features/audit/checkpoints";
import { processDueStreams } from "@/lib/features/audit-streams/deliver";
import { purgeAllTenants } from "@/lib/features/audit/purge";
import { purgeRateData } from "@/lib/features/proxy/limits";
import { processDueDeliveries } from "@/lib/features/webhooks/forward";
import { env } from "@/lib/platform/config/env";
import { runExclusive } from "@/lib/platform/jobs/exclusive";
import { repeat, type Repeating } from "@/lib/platform/jobs/repeat";
import { logger } from "@/lib/platform/log/logger";

// The background jobs and their schedules, one home for both of the processes that run them:
// each web server (lib/start-up.ts, PQSEAL_JOBS=in-process) or the worker (tools/worker/main.ts,
// `npm run worker`). Several processes may run them against one PostgreSQL: the forwarder claims
// deliveries with FOR UPDATE SKIP LOCKED and a lease, and the audit jobs run under an advisory
// lock (a process that finds it taken skips its turn). The audit spool is not here: it is each
// web server's own disk, drained by that server (lib/start-up.ts) whatever PQSEAL_JOBS says.

/** Advisory lock of the audit jobs; db/connect.ts's migration lock is 727_274_001. */
const AUDIT_JOBS_LOCK = 727_274_002;

/**
 * Retention purge, due checkpoints, rate-data purge. Each is idempotent, so a process whose turn
 * comes just after another's finds little or nothing left to do.
 */
async function runAuditJobs(): Promise<void> {
  const ran = await runExclusive(AUDIT_JOBS_LOCK, async () => {
    const purged = await purgeAllTenants();
    const signed = await signDueCheckpoints();
    await purgeRateData();
    if (purged || signed) logger().info({ purged, signed }, "audit jobs ran");
  });
  if (!ran) logger().debug("audit jobs are running in another process; skipped");
}

/** The running jobs; `stop` ends them (the worker's shutdown). */
export interface Jobs {
  /**
   * Starts nothing more, lets work in flight finish for up to `graceMs`, then interrupts it:
   * deliveries still in flight are handed back for another worker. Bounded by graceMs + 3 s.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * Starts the webhook forwarder and the audit streams (a pass every 2 s each) and the audit
 * jobs (every AUDIT_CHECKPOINT_INTERVAL_MINUTES, first after 30 s; 0: off).
 */
export function startJobs(): Jobs {
  const running: Repeating[] = [
    repeat("webhook forwarding", (signal) => processDueDeliveries(20, signal), { everyMs: 2000 }),
    repeat("audit streaming", (signal) => processDueStreams(10, signal), { everyMs: 2000 }),
  ];
  const minutes = env().AUDIT_CHECKPOINT_INTERVAL_MINUTES;
  if (minutes > 0) {
    running.push(
      repeat("audit jobs", runAuditJobs, { everyMs: minutes * 60_000, firstAfterMs: 30_000 }),
    );
  }
  return {
    async stop(graceMs) {
      await Promise.all(running.map((job) => job.stop(graceMs)));
    },
  };
}

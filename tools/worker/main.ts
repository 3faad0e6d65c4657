// `npm run worker`: the background jobs (webhook forwarding, audit checkpoints, retention and
// rate-data purges; lib/jobs.ts) in a process of their own, so that the web servers can run
// with PQSEAL_JOBS=off. PostgreSQL only; any number of workers may run against one database.
// Built with the production build into .next/worker/main.mjs (tools/worker/build.mjs) and run
// from the project folder, as `next start` is: `node .next/worker/main.mjs [--grace-ms=15000]`.
//
// SIGTERM or SIGINT: claim nothing more, let deliveries in flight finish for up to --grace-ms,
// interrupt the rest and hand them back (due at once for another worker), close the database
// and exit 0. Whatever hangs, the process ends within 25 s (exit 1), before a container
// runtime's usual 30 s kill.
import "./environment";
import { parseArgs } from "node:util";
import { ensureMigrated, getDbHandle } from "@/db";
import { startJobs } from "@/lib/jobs";
import { envOrExit } from "@/lib/platform/config/env";
import { serverBackend } from "@/lib/platform/crypto/server-backend";
import { localMasterKey } from "@/lib/platform/kms/local-master-key";
import { logger } from "@/lib/platform/log/logger";

const HARD_LIMIT_MS = 25_000;

const { values } = parseArgs({ options: { "grace-ms": { type: "string", default: "15000" } } });
const graceMs = Number(values["grace-ms"]);
if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > 15_000) {
  console.error("--grace-ms must be a whole number of milliseconds, 0 to 15000");
  process.exit(1);
}

const e = envOrExit("The PQSeal worker");
if (!e.DATABASE_URL) {
  console.error(
    "The PQSeal worker cannot start: it needs DATABASE_URL (PostgreSQL). The embedded database " +
      "opens in one process only, so without DATABASE_URL the web server runs the background " +
      "jobs itself (PQSEAL_JOBS=in-process).",
  );
  process.exit(1);
}

try {
  localMasterKey({ generate: false });
  await ensureMigrated();
  const backend = await serverBackend();
  const jobs = startJobs();
  // The jobs' timers do not hold the process; this does, until the worker is stopped.
  const keepAlive = setInterval(() => {}, 60_000);
  logger().info({ backend: backend.name, pid: process.pid }, "worker ready");

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    // A repeated signal changes nothing: under `npm run worker`, Ctrl-C arrives twice (from the
    // terminal and from the launcher, which passes signals on).
    if (stopping) return;
    stopping = true;
    logger().info({ signal, graceMs }, "worker stopping");
    setTimeout(() => {
      logger().error("worker did not stop in time; exiting");
      process.exit(1);
    }, HARD_LIMIT_MS).unref();
    await jobs.stop(graceMs);
    await getDbHandle().close();
    clearInterval(keepAlive);
    logger().info("worker stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, (s: NodeJS.Signals) => {
      shutdown(s).catch((error: unknown) => {
        logger().error({ err: error }, "worker shutdown failed");
        process.exit(1);
      });
    });
  }
} catch (error) {
  logger().fatal({ err: error }, "worker failed to start");
  process.exit(1);
}

import "server-only";
import { sql } from "drizzle-orm";
import { getDbHandle, rowsOf } from "@/db";

/**
 * Runs `job` unless another process is running a job under the same `lock`, in which case it
 * returns false at once without running it. On PostgreSQL the lock is a
 * transaction-scoped advisory lock, taken without waiting: its transaction holds one pooled
 * connection, idle, until the job ends (or the process dies: the lock goes with its session),
 * while the job does its own work on other connections and in transactions of its own. The
 * embedded PGlite serves one process through one connection, which that open transaction would
 * hold: there the job just runs.
 */
export async function runExclusive(lock: number, job: () => Promise<void>): Promise<boolean> {
  const { db, driver } = getDbHandle();
  if (driver === "pglite") {
    await job();
    return true;
  }
  return db.transaction(async (tx) => {
    const [row] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${lock}) as locked`),
    );
    if (!row?.locked) return false;
    await job();
    return true;
  });
}

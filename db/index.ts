import "server-only";
import { env } from "@/lib/platform/config/env";
import { connect, type DbHandle } from "./connect";

export type { Db, Tx } from "./connect";

// One handle per process, kept on globalThis: Next.js bundles route handlers, pages and
// instrumentation separately, and two PGlite instances must never open the same folder.
const globalForDb = globalThis as unknown as {
  pqsealDb?: DbHandle;
  pqsealMigrated?: Promise<void>;
};

export function getDbHandle(): DbHandle {
  if (!globalForDb.pqsealDb) {
    const e = env();
    globalForDb.pqsealDb = connect({
      databaseUrl: e.DATABASE_URL,
      pgliteDataDir: e.PGLITE_DATA_DIR,
    });
  }
  return globalForDb.pqsealDb;
}

/** Rows of a raw `execute`: postgres-js returns the rows, PGlite returns `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

export function getDb() {
  return getDbHandle().db;
}

/** Applies committed migrations once per process (called at start-up). */
export function ensureMigrated(): Promise<void> {
  globalForDb.pqsealMigrated ??= getDbHandle().migrate();
  return globalForDb.pqsealMigrated;
}

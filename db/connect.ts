import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { isMainThread } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

type Schema = typeof schema;
/** The one database type the app codes against; both drivers implement it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface DbHandle {
  db: Db;
  driver: "postgres" | "pglite";
  migrate: () => Promise<void>;
  close: () => Promise<void>;
  /** Raw SQL with $1..$n parameters, for the few bulk reads built as plain text (audit export). */
  query: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export interface ConnectOptions {
  databaseUrl?: string;
  pgliteDataDir: string;
  /** Pool size for the postgres driver. */
  max?: number;
}

// Only one process may migrate at a time when several instances share one PostgreSQL.
const MIGRATION_LOCK = 727_274_001;

export function connect(options: ConnectOptions): DbHandle {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.max ?? 20,
      onnotice: () => {},
      connect_timeout: 5,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      migrate: async () => {
        // Session-level advisory lock on a reserved connection; the migrator uses the pool.
        const lockConn = await client.reserve();
        try {
          await lockConn`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(db as unknown as PostgresJsDatabase<Schema>, { migrationsFolder });
        } finally {
          await lockConn`select pg_advisory_unlock(${MIGRATION_LOCK})`;
          lockConn.release();
        }
      },
      close: () => client.end({ timeout: 5 }),
      query: (text, params) =>
        client.unsafe<Record<string, unknown>[]>(text, params as never[]).then((rows) => rows),
    };
  }
  const dir = options.pgliteDataDir;
  const onDisk = !dir.startsWith("memory://");
  if (onDisk) ownerOnlyDataDir(dir);
  const client = new PGlite(dir);
  // PGlite's first start unpacks its template files with explicit 0666 modes (and every start
  // writes two 0644 files), which no umask masks: they are restricted once it is ready. Nobody
  // else can reach them meanwhile, the folder being 0700 already.
  const ready = onDisk ? client.waitReady.then(() => restrictModes(dir)) : client.waitReady;
  // Not left unhandled: migrate() (awaited at start-up) reports a failed repair, every query a
  // failed start.
  ready.catch(() => {});
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    migrate: async () => {
      await ready;
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    close: () => client.close(),
    query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
  };
}

/**
 * PGlite's data folder holds every secret's wrapped form and the audit chain, so it is kept to
 * the owner, 0700 with files 0600, like master.key. PGlite creates files through Node's fs with
 * default modes (0666 files, 0777 folders, less the umask) while it runs, so the umask is set to
 * 0o077 first, as PostgreSQL does for its own data folder. The umask is process-wide: it only
 * ever tightens here (owner bits kept), and the app's other local files (spool, master.key) are
 * secrets as well. Worker threads cannot set it; the app opens the database on the main thread.
 */
function ownerOnlyDataDir(dir: string) {
  // PGlite cannot open a data folder through a symlink (it fails with a bare errno), and the
  // mode repair below does not follow one: say so plainly instead.
  if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new Error(
      `PGLITE_DATA_DIR ${dir} is a symlink; PGlite cannot open one: set it to the real folder`,
    );
  }
  if (isMainThread) process.umask(process.umask(0o077) | 0o077);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A folder written before this rule, or under another umask, is repaired here.
  restrictModes(dir);
}

/** Clears the group and other bits of `top` and everything under it (symlinks left alone). */
function restrictModes(top: string) {
  const stat = lstatSync(top);
  if (stat.isSymbolicLink()) return;
  if (stat.mode & 0o077) chmodSync(top, stat.mode & 0o700);
  if (stat.isDirectory()) for (const name of readdirSync(top)) restrictModes(path.join(top, name));
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

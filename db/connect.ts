import { mkdirSync } from "node:fs";
import path from "node:path";
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
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    close: () => client.close(),
    query: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
  };
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

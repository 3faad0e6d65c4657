import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDbHandle } from "@/db";
import { migrationsFolder, ping, type Db } from "@/db/connect";

export interface Health {
  status: "ok" | "unavailable";
  database: { reachable: boolean; driver: "postgres" | "pglite" };
  migrations: {
    state: "up_to_date" | "pending" | "unknown";
    applied: number | null;
    expected: number;
  };
}

function expectedMigrations(): number {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as { entries: unknown[] };
  return journal.entries.length;
}

/** Database reachability and migration state; never throws. */
export async function checkHealth(db: Db, driver: Health["database"]["driver"]): Promise<Health> {
  const expected = expectedMigrations();
  try {
    await ping(db);
  } catch {
    return {
      status: "unavailable",
      database: { reachable: false, driver },
      migrations: { state: "unknown", applied: null, expected },
    };
  }
  let applied: number | null = null;
  try {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const first = (Array.isArray(rows) ? rows[0] : (rows as { rows: { n: number }[] }).rows[0]) as
      { n: number } | undefined;
    applied = first?.n ?? 0;
  } catch {
    applied = 0; // the migrations table does not exist yet
  }
  const state = applied >= expected ? "up_to_date" : "pending";
  return {
    status: state === "up_to_date" ? "ok" : "unavailable",
    database: { reachable: true, driver },
    migrations: { state, applied, expected },
  };
}

/** The health of this process's own database handle (GET /api/health). */
export function currentHealth(): Promise<Health> {
  const { db, driver } = getDbHandle();
  return checkHealth(db, driver);
}

// Vitest globalSetup for the `postgres` project: start every run from an empty `test`
// database and the committed migrations, so the migrations themselves are tested too.
import postgres from "postgres";
import { connect } from "@/db/connect";
import { assertLocalDatabase } from "./assert-local-database";

export default async function resetPostgres(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  assertLocalDatabase(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(
    "drop schema if exists public cascade; drop schema if exists drizzle cascade; create schema public;",
  );
  await sql.end();
  const handle = connect({ databaseUrl: url, pgliteDataDir: "memory://", max: 2 });
  await handle.migrate();
  await handle.close();
}

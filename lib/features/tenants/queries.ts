import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";

/** First run: true until the first user exists. */
export async function needsSetup(): Promise<boolean> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)::int` })
    .from(users);
  return (row?.n ?? 0) === 0;
}

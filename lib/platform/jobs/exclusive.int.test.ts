import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it, vi } from "vitest";
import { getDb, getDbHandle } from "@/db";
import { runExclusive } from "./exclusive";

const LOCK = 727_274_990; // the tests' own, apart from the app's locks
const onPostgres = () => getDbHandle().driver === "postgres";

describe("runExclusive", () => {
  it("runs the job, whose own queries are not held up by the lock", async () => {
    let seen = 0;
    expect(
      await runExclusive(LOCK, async () => {
        await getDb().execute(sql`select 1`);
        seen++;
      }),
    ).toBe(true);
    expect(seen).toBe(1);
  });

  it.runIf(process.env.DATABASE_URL)(
    "skips the job at once while another process holds the lock, and runs it after",
    async () => {
      expect(onPostgres()).toBe(true);
      // Another process: a session of its own on the same database.
      const other = postgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
      try {
        await other`select pg_advisory_lock(${LOCK})`;
        const job = vi.fn(() => Promise.resolve());
        expect(await runExclusive(LOCK, job)).toBe(false);
        expect(job).not.toHaveBeenCalled();
        await other`select pg_advisory_unlock(${LOCK})`;
        expect(await runExclusive(LOCK, job)).toBe(true);
        expect(job).toHaveBeenCalledTimes(1);
      } finally {
        await other.end();
      }
    },
  );

  it.runIf(process.env.DATABASE_URL)(
    "holds the lock while its job runs, and lets it go when the job fails",
    async () => {
      let finish: () => void = () => {};
      let started: () => void = () => {};
      const running = new Promise<void>((r) => (started = r));
      const first = runExclusive(LOCK, async () => {
        started();
        await new Promise<void>((r) => (finish = r));
      });
      await running;
      const second = vi.fn(() => Promise.resolve());
      expect(await runExclusive(LOCK, second)).toBe(false);
      finish();
      expect(await first).toBe(true);
      await expect(runExclusive(LOCK, () => Promise.reject(new Error("boom")))).rejects.toThrow(
        "boom",
      );
      expect(await runExclusive(LOCK, second)).toBe(true);
    },
  );
});

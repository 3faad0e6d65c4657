import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships } from "@/db/schema";
import { AppError } from "@/lib/platform/errors/app-error";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { runFirstSetup } from "./service";
import { needsSetup } from "./queries";

const owner = (n: number) => ({
  tenantName: `Acme ${n}`,
  name: `Owner ${n}`,
  email: `owner${n}@acme.test`,
  password: "a long password",
});

// The first-run page depends on the users table being empty, so this file starts from one.
// Integration test files run one at a time (vitest.config.ts), so this cannot race others.
beforeEach(async () => {
  await getDb().execute(sql`truncate table users, tenants restart identity cascade`);
});

describe("first-run setup", () => {
  it("is offered until the first owner exists, then refused", async () => {
    expect(await needsSetup()).toBe(true);
    const { tenantId, userId } = await runFirstSetup(owner(1), NO_REQUEST);
    expect(await needsSetup()).toBe(false);
    const rows = await getDb().select().from(memberships);
    expect(rows).toMatchObject([{ tenantId, userId, role: "owner" }]);
    await expect(runFirstSetup(owner(2), NO_REQUEST)).rejects.toBeInstanceOf(AppError);
  });

  it("creates exactly one owner when two setups race", async () => {
    const results = await Promise.allSettled([
      runFirstSetup(owner(3), NO_REQUEST),
      runFirstSetup(owner(4), NO_REQUEST),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await getDb().select().from(memberships)).toHaveLength(1);
  });
});

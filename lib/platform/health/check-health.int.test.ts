import { describe, expect, it } from "vitest";
import { getDbHandle } from "@/db";
import { connect } from "@/db/connect";
import { checkHealth } from "./check-health";

describe("checkHealth", () => {
  it("reports a reachable, fully migrated database", async () => {
    const { db, driver } = getDbHandle();
    const health = await checkHealth(db, driver);
    expect(health.status).toBe("ok");
    expect(health.database.reachable).toBe(true);
    expect(health.migrations.state).toBe("up_to_date");
    expect(health.migrations.applied).toBe(health.migrations.expected);
  });

  it("reports pending migrations on an empty database", async () => {
    const handle = connect({ pgliteDataDir: "memory://" });
    const health = await checkHealth(handle.db, handle.driver);
    await handle.close();
    expect(health).toMatchObject({
      status: "unavailable",
      migrations: { state: "pending", applied: 0 },
    });
  });

  it("reports an unreachable database as unavailable", async () => {
    const handle = connect({
      databaseUrl: "postgres://postgres@127.0.0.1:1/none",
      pgliteDataDir: "unused",
      max: 1,
    });
    const health = await checkHealth(handle.db, handle.driver);
    await handle.close();
    expect(health).toMatchObject({ status: "unavailable", database: { reachable: false } });
  });
});

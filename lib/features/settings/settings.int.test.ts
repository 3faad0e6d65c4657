import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, tenants } from "@/db/schema";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import type { Acting } from "@/lib/platform/request-context/acting";
import { createTestTenant } from "@/test/factories";
import { updateCheckpointForwarding, updateRetention } from "./service";

const adminOf = (tenantId: string): Acting => ({
  tenantId,
  actor: { type: "user", id: "usr_admin", label: "admin@example.test" },
  meta: NO_REQUEST,
});
const changes = (tenantId: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "settings.updated")));

describe("tenant settings", () => {
  it("changes retention with its before/after audited, and a save without a change writes nothing", async () => {
    const t = await createTestTenant();
    const other = await createTestTenant();
    await updateRetention(adminOf(t.id), { auditRetentionDays: 90 });
    await updateRetention(adminOf(t.id), { auditRetentionDays: 90 });
    const [row] = await getDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(row?.auditRetentionDays).toBe(90);
    const events = await changes(t.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ audit_retention_days: { from: 400, to: 90 } });
    // Only the acting tenant's row changes.
    const [untouched] = await getDb().select().from(tenants).where(eq(tenants.id, other.id));
    expect(untouched?.auditRetentionDays).toBe(400);
    expect(await changes(other.id)).toHaveLength(0);
  });

  it("refuses a checkpoint forward URL the SSRF rules do not allow, writing nothing", async () => {
    const t = await createTestTenant();
    await expect(
      updateCheckpointForwarding(adminOf(t.id), { url: "http://evidence.example.com/in" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const [row] = await getDb().select().from(tenants).where(eq(tenants.id, t.id));
    expect(row?.checkpointForwardUrl).toBeNull();
    expect(await changes(t.id)).toHaveLength(0);
  });
});

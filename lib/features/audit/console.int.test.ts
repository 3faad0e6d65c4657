import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiKeys, auditEvents } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing, type Acting } from "@/lib/platform/request-context/acting";
import { newId } from "@/lib/shared/ids";
import { createTestTenant } from "@/test/factories";
import { chainStatus } from "./chain-status";
import { signCheckpoint } from "./checkpoints";
import { EXPORT_COOKIE } from "./export-download";
import { auditExportResponse } from "./http";
import { loadAuditList } from "./load-audit-list";
import { relatedNames } from "./related";
import { verifyAndRecord } from "./verify-chain";

// The audit pages as the console reads them (#19): filters that list nothing when invalid,
// days picked in date pickers, one event per export, the integrity card's facts, and the
// names an event page links to.

const db = () => getDb();

async function append(by: Acting, n: number) {
  for (let i = 0; i < n; i++) {
    await db().transaction((tx) =>
      recordAudit(tx, by, { action: "auth.sign_in", outcome: "succeeded" }),
    );
  }
}

const eventsOf = (tenantId: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(asc(auditEvents.seq));

const today = () => new Date().toISOString().slice(0, 10);

describe("the console's audit list", () => {
  it("lists nothing for an invalid date (not the unfiltered log), with the error for the field", async () => {
    const t = await createTestTenant();
    await append(systemActing(t.id), 3);
    const list = await loadAuditList(t.id, { from: "2026-13-45", outcome: "succeeded" });
    expect(list.page).toBeNull();
    expect(Object.keys(list.errors ?? {})).toEqual(["from"]);
    expect(list.params).toEqual({ from: "2026-13-45", outcome: "succeeded" });
    // the same filters without the bad date list the events
    expect((await loadAuditList(t.id, { outcome: "succeeded" })).page?.events).toHaveLength(3);
  });

  it("includes the whole `to` day picked in a date picker", async () => {
    const t = await createTestTenant();
    await append(systemActing(t.id), 2);
    const list = await loadAuditList(t.id, { from: today(), to: today() });
    expect(list.errors).toBeNull();
    expect(list.page?.events).toHaveLength(2);
  });

  it("refuses a national-format destination instead of silently finding nothing", async () => {
    const t = await createTestTenant();
    const list = await loadAuditList(t.id, { destination: "07700 900123" });
    expect(list.page).toBeNull();
    expect(list.errors?.destination?.[0]).toContain("+44 7700 900123");
  });
});

describe("export", () => {
  it("adds one audit event per export, naming the checkpoint it signed", async () => {
    const t = await createTestTenant();
    const by = systemActing(t.id);
    await append(by, 2);
    await signCheckpoint(by); // the signing key exists before counting
    const before = (await eventsOf(t.id)).length;
    const response = await auditExportResponse(
      by,
      new URL("http://localhost/api/v2/audit/export?format=csv&download_token=tok_12345678"),
    );
    await response.text();
    const added = (await eventsOf(t.id)).slice(before);
    expect(added.map((e) => e.action)).toEqual(["audit.exported"]);
    expect(added[0]).toMatchObject({
      seq: before + 1,
      targetType: "audit_checkpoint",
      details: { format: "csv", through_seq: before, filters: {} },
    });
    // the page learns the download started from this cookie (not HttpOnly: its script reads it)
    expect(response.headers.get("set-cookie")).toMatch(
      new RegExp(`^${EXPORT_COOKIE}=tok_12345678; Path=/t/; Max-Age=\\d+; SameSite=Strict$`),
    );
  });

  it("sets no cookie for a missing or malformed download token", async () => {
    const t = await createTestTenant();
    await append(systemActing(t.id), 1);
    for (const query of ["format=jsonl", "format=jsonl&download_token=a%3Bb%3Dc%20d"]) {
      const response = await auditExportResponse(
        systemActing(t.id),
        new URL(`http://localhost/api/v2/audit/export?${query}`),
      );
      await response.text();
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });
});

describe("the integrity card", () => {
  it("states the head, the newest checkpoint and the events since, and the last verification", async () => {
    const t = await createTestTenant();
    const by = systemActing(t.id);
    expect(await chainStatus(t.id)).toMatchObject({
      headSeq: 0,
      checkpoint: null,
      lastVerification: null,
    });
    await append(by, 3);
    const signed = await signCheckpoint(by); // key.created at 4, signed at 4, its event at 5
    await append(by, 2);
    const verified = await verifyAndRecord(by); // head 7 verified, recorded at 8
    const status = await chainStatus(t.id);
    expect(signed?.seq).toBe(4);
    expect(status).toMatchObject({
      headSeq: 8,
      checkpoint: { seq: 4, algorithm: "ML-DSA-65" },
      eventsSinceCheckpoint: 4,
      lastVerification: { ok: true, headSeq: verified.headSeq, firstBrokenSeq: null },
    });
    expect(verified.headSeq).toBe(7);
  });
});

describe("an event's related names", () => {
  it("names this tenant's API key, never another tenant's", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    const keyId = newId("apiKey");
    await db()
      .insert(apiKeys)
      .values({
        id: keyId,
        tenantId: a.id,
        name: "Billing service",
        prefix: `qs_live_${keyId.slice(-8)}`,
        secretHash: "0".repeat(64),
        scopes: ["audit:read"],
      });
    const byKey = (tenantId: string): Acting => ({
      ...systemActing(tenantId),
      actor: { type: "api_key", id: keyId, label: "qs_live_x" },
    });
    await append(byKey(a.id), 1);
    await append(byKey(b.id), 1);
    const [inA] = await eventsOf(a.id);
    const [inB] = await eventsOf(b.id);
    if (!inA || !inB) throw new Error("events were not recorded");
    expect((await relatedNames(a.id, inA)).apiKeys[keyId]?.name).toBe("Billing service");
    expect((await relatedNames(b.id, inB)).apiKeys).toEqual({});
  });
});

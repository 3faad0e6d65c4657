import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, getDbHandle, rowsOf } from "@/db";
import { auditEvents, tenants } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { authenticate } from "@/lib/platform/auth/authenticate";
import { MAX_FAILURES } from "@/lib/platform/auth/sign-in-throttle";
import type * as RequestMetaModule from "@/lib/platform/http/request-meta";
import type { RequestMeta } from "@/lib/platform/http/request-meta";
import { newId } from "@/lib/shared/ids";
import { logger } from "@/lib/platform/log/logger";
import { createInvite } from "@/lib/features/members/invites";
import { changeRole, removeMember } from "@/lib/features/members/service";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import {
  addMember,
  createTestTenant,
  createTestUser,
  TEST_PASSWORD,
  testSession,
} from "@/test/factories";
import {
  latestCheckpoint,
  signCheckpoint,
  signDueCheckpoints,
  verifyCheckpoint,
} from "./checkpoints";
import { startAuditExport } from "./export-events";
import { purgeExpiredEvents } from "./purge";
import { listAuditEvents } from "./queries";
import { eventHash, type ChainRecord } from "@/lib/platform/audit/chain";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { SYSTEM_ACTOR, systemActing } from "@/lib/platform/request-context/acting";
import { auditFiltersSchema } from "./schemas";
import { verifyChain } from "./verify-chain";
import { verifyExport } from "./verify-export";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
const META: RequestMeta = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req_test" };
vi.mock("@/lib/platform/http/request-meta", async (importOriginal) => ({
  ...(await importOriginal<typeof RequestMetaModule>()),
  currentRequestMeta: () => Promise.resolve(META),
}));

const PHONE = "+14155550123";
const db = () => getDb();

function signInAs(user: { id: string; email: string; name: string }) {
  session.user = testSession(user, "ses_test");
}

async function eventsOf(tenantId: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(asc(auditEvents.seq));
}

async function append(
  tenantId: string,
  n: number,
  {
    meta = META,
    ...extra
  }: Partial<Parameters<typeof recordAudit>[2]> & { meta?: RequestMeta } = {},
) {
  const by = {
    tenantId,
    actor: { type: "api_key" as const, id: "key_test", label: "qs_live_Test1234" },
    meta,
  };
  for (let i = 0; i < n; i++) {
    await db().transaction((tx) =>
      recordAudit(tx, by, {
        action: "proxy.send_sms",
        outcome: "succeeded",
        details: { twilio_sid: `SM${i.toString().padStart(32, "0")}` },
        ...extra,
      }),
    );
  }
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "no error";
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ""}`;
  }
}

async function collect(lines: AsyncGenerator<string>) {
  let text = "";
  for await (const chunk of lines) text += chunk;
  return text;
}

type ExportOptions = Partial<Omit<Parameters<typeof startAuditExport>[0], "tenantId">>;

/** A whole export of the tenant's events (JSONL, all events, by the system, unless told). */
async function exportText(tenantId: string, options: ExportOptions = {}) {
  const { lines } = await startAuditExport({
    tenantId,
    filters: {},
    format: "jsonl",
    actor: SYSTEM_ACTOR,
    meta: META,
    ...options,
  });
  return collect(lines);
}

describe("recording", () => {
  it("writes exactly one event per member action, with actor, target, outcome and request", async () => {
    const t = await createTestTenant();
    const owner = await createTestUser("owner");
    const op = await createTestUser("op");
    await addMember(t.id, owner.id, "owner");
    const opMembership = await addMember(t.id, op.id, "operator");
    signInAs(owner);
    const ctx = await resolveTenant(t.id, "members:write");

    await changeRole(ctx, { membershipId: opMembership, role: "auditor" });
    let events = await eventsOf(t.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "member.role_changed",
      outcome: "succeeded",
      actorType: "user",
      actorId: owner.id,
      actorLabel: owner.email,
      targetType: "membership",
      targetId: opMembership,
      ip: "203.0.113.7",
      userAgent: "vitest",
      requestId: "req_test",
      details: { user_id: op.id, role: { from: "operator", to: "auditor" } },
    });

    const invite = await createInvite(ctx, { role: "operator" });
    await removeMember(ctx, { membershipId: opMembership });
    events = await eventsOf(t.id);
    expect(events.map((e) => e.action)).toEqual([
      "member.role_changed",
      "member.invited",
      "member.removed",
    ]);
    expect(events[1]?.targetId).toBe(invite.id);
  });

  it("records a refused action as denied, and the refused change does not happen", async () => {
    const t = await createTestTenant();
    const op = await createTestUser("op");
    await addMember(t.id, op.id, "operator");
    signInAs(op);
    await expect(resolveTenant(t.id, "members:write")).rejects.toThrow();
    const events = await eventsOf(t.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "access.denied", outcome: "denied", actorId: op.id });
  });

  it("records sign-in, failures and the lockout in the user's tenant", async () => {
    const t = await createTestTenant();
    const user = await createTestUser("signer");
    await addMember(t.id, user.id, "admin");
    await authenticate(db(), { email: user.email, password: TEST_PASSWORD }, META);
    for (let i = 0; i < MAX_FAILURES; i++) {
      await authenticate(db(), { email: user.email, password: "wrong password" }, META);
    }
    const actions = (await eventsOf(t.id)).map((e) => e.action);
    expect(actions).toEqual([
      "auth.sign_in",
      ...Array<string>(MAX_FAILURES - 1).fill("auth.sign_in_failed"),
      "auth.locked",
    ]);
  });

  it("fails closed: if the event cannot be written, the change is rolled back", async () => {
    const tenantId = newId("tenant");
    const error = await errorOf(
      db().transaction(async (tx) => {
        await tx.insert(tenants).values({ id: tenantId, name: "Rolled back" });
        await recordAudit(tx, systemActing(tenantId), {
          action: "vault.sealed",
          outcome: "succeeded",
          details: { auth_token: "must never be stored" },
        });
      }),
    );
    expect(error).toContain("auth_token");
    expect(await db().select().from(tenants).where(eq(tenants.id, tenantId))).toEqual([]);
  });

  it("keeps secrets, codes and full numbers out of every column", async () => {
    const t = await createTestTenant();
    const user = await createTestUser("secretive");
    await addMember(t.id, user.id, "owner");
    await authenticate(db(), { email: user.email, password: TEST_PASSWORD }, META);
    signInAs(user);
    const invite = await createInvite(await resolveTenant(t.id, "members:write"), {
      role: "auditor",
    });
    await append(t.id, 1, { destination: PHONE, details: { verification_status: "approved" } });
    expect(await errorOf(append(t.id, 1, { details: { to: PHONE } }))).toContain("phone number");
    expect(await errorOf(append(t.id, 1, { details: { otp: "123456" } }))).toContain("otp");
    expect(await errorOf(append(t.id, 1, { details: { code: "123456" } }))).toContain("code");

    const rows = await db().execute(sql`select * from audit_events where tenant_id = ${t.id}`);
    const everything = JSON.stringify(rows);
    for (const secret of [TEST_PASSWORD, invite.token, PHONE, PHONE.slice(2), "123456"]) {
      expect(everything).not.toContain(secret);
    }
    const [withPhone] = (await eventsOf(t.id)).filter((e) => e.destinationHmac);
    expect(withPhone?.destinationLast2).toBe("23");
  });
});

describe("bounded events", () => {
  it("keeps request text to 1,000 characters and refuses details over 16,000", async () => {
    const t = await createTestTenant();
    await append(t.id, 1, { meta: { ...META, userAgent: "x".repeat(5_000) } });
    const [event] = (await eventsOf(t.id)).filter((e) => e.action === "proxy.send_sms");
    expect(event?.userAgent).toHaveLength(1_000);
    expect(await errorOf(append(t.id, 1, { details: { note: "y".repeat(16_001) } }))).toMatch(
      /exceed 16000/,
    );
    expect((await verifyChain(t.id)).ok).toBe(true);
  });
});

describe("append-only and tamper evidence", () => {
  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const t = await createTestTenant();
    await append(t.id, 2);
    expect(
      await errorOf(
        db().update(auditEvents).set({ outcome: "denied" }).where(eq(auditEvents.tenantId, t.id)),
      ),
    ).toMatch(/append-only/);
    expect(await errorOf(db().delete(auditEvents).where(eq(auditEvents.tenantId, t.id)))).toMatch(
      /append-only/,
    );
    expect(await errorOf(db().execute(sql`truncate audit_events`))).toMatch(/append-only/);
    expect(await eventsOf(t.id)).toHaveLength(2);
    expect((await verifyChain(t.id)).ok).toBe(true);
  });

  it("detects an event edited behind the trigger's back, at that event", async () => {
    const t = await createTestTenant();
    await append(t.id, 12); // past 10, so seq order is numeric, not textual
    expect(await verifyChain(t.id)).toMatchObject({ ok: true, checked: 12, headSeq: 12 });
    await db().transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(
        sql`update audit_events set outcome = 'denied' where tenant_id = ${t.id} and seq = 11`,
      );
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    const result = await verifyChain(t.id);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({
      seq: 11,
      reason: expect.stringContaining("altered") as unknown,
    });
  });

  it("detects a deleted event", async () => {
    const t = await createTestTenant();
    await append(t.id, 4);
    await db().transaction(async (tx) => {
      await tx.execute(sql`set local pqseal.audit_purge = 'on'`);
      await tx.execute(sql`delete from audit_events where tenant_id = ${t.id} and seq = 2`);
    });
    expect((await verifyChain(t.id)).firstBroken).toMatchObject({
      seq: 2,
      reason: "event 2 is missing",
    });
  });

  it("signs checkpoints that verify, and a forged one does not", async () => {
    const t = await createTestTenant();
    await append(t.id, 3);
    const checkpoint = await signCheckpoint(systemActing(t.id));
    // 3 events + the key.created event of the tenant's first signing key
    expect(checkpoint).toMatchObject({ seq: 4, algorithm: "ML-DSA-65" });
    if (!checkpoint) throw new Error("unreachable");
    expect(verifyCheckpoint(checkpoint)).toBe(true);
    expect(verifyCheckpoint({ ...checkpoint, seq: 2 })).toBe(false);
    expect((await latestCheckpoint(t.id))?.id).toBe(checkpoint.id);
    // the checkpoint is itself audited, and the chain still verifies
    expect((await eventsOf(t.id)).at(-1)?.action).toBe("audit.checkpoint_signed");
    expect((await verifyChain(t.id)).ok).toBe(true);
  });

  it("signs due checkpoints every interval (60 min by default), and leaves idle chains alone", async () => {
    const t = await createTestTenant();
    await append(t.id, 2);
    const tomorrow = () => new Date(Date.now() + 61 * 60 * 1000);
    const mine = async () =>
      (await eventsOf(t.id)).filter((e) => e.action === "audit.checkpoint_signed").length;
    await signDueCheckpoints(tomorrow());
    expect(await mine()).toBe(1); // never signed: due now
    await signDueCheckpoints(new Date());
    expect(await mine()).toBe(1); // signed under an hour ago
    await signDueCheckpoints(tomorrow());
    expect(await mine()).toBe(1); // an hour later but nothing new since: idle, not re-signed
    await append(t.id, 1);
    await signDueCheckpoints(tomorrow());
    expect(await mine()).toBe(2); // new events and the last checkpoint is over an hour old
    expect((await verifyChain(t.id)).ok).toBe(true);
  });

  it("purges past retention and the chain still verifies from the anchor", async () => {
    const t = await createTestTenant();
    await append(t.id, 6);
    const later = new Date(Date.now() + 401 * 24 * 60 * 60 * 1000);
    expect(await purgeExpiredEvents(t.id, later)).toBe(6);
    const events = await eventsOf(t.id);
    expect(events.map((e) => e.action)).toEqual(["audit.purged"]);
    expect(await verifyChain(t.id)).toMatchObject({ ok: true, anchorSeq: 6, checked: 1 });
    await append(t.id, 2);
    expect((await verifyChain(t.id)).ok).toBe(true);
  });
});

describe("tamper evidence against the database owner (#13)", () => {
  const hashAt = async (tenantId: string, seq: number) =>
    (await eventsOf(tenantId)).find((e) => e.seq === seq)?.hash ?? "";
  // An attacker's login: DML rights on every table, nothing more (not the owner, no superuser).
  const asDmlRole = (tenantId: string, keep: number, keepHash: string) =>
    db().transaction(async (tx) => {
      await tx.execute(sql`set local role pqseal_test_dml`);
      await tx.execute(sql`set local pqseal.audit_purge = 'on'`);
      await tx.execute(
        sql`delete from audit_events where tenant_id = ${tenantId} and seq > ${keep}`,
      );
      await tx.execute(
        sql`update audit_chain_heads set seq = ${keep}, hash = ${keepHash} where tenant_id = ${tenantId}`,
      );
    });

  beforeAll(async () => {
    await db().execute(
      sql.raw(`do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'pqseal_test_dml') then
          create role pqseal_test_dml;
        end if;
      end $$`),
    );
    // (PostgreSQL's test schema is recreated by the harness, so USAGE is granted explicitly.)
    await db().execute(sql.raw(`grant usage on schema public to pqseal_test_dml`));
    await db().execute(
      sql.raw(
        `grant select, insert, update, delete on all tables in schema public to pqseal_test_dml`,
      ),
    );
  });

  it("refuses a tail deletion by a DML role that sets the purge flag", async () => {
    const t = await createTestTenant();
    await append(t.id, 5);
    const error = await errorOf(asDmlRole(t.id, 3, await hashAt(t.id, 3)));
    expect(error).toContain("append-only");
    expect(await eventsOf(t.id)).toHaveLength(5);
    expect(await verifyChain(t.id)).toMatchObject({ ok: true, headSeq: 5 });
  });

  it("refuses a DML role that deletes checkpoints, moves the anchor or plants a signing key", async () => {
    const t = await createTestTenant();
    await append(t.id, 3);
    const signed = await signCheckpoint(systemActing(t.id));
    const asDml = (statement: ReturnType<typeof sql>) =>
      errorOf(
        db().transaction(async (tx) => {
          await tx.execute(sql`set local role pqseal_test_dml`);
          await tx.execute(sql`set local pqseal.audit_purge = 'on'`);
          await tx.execute(statement);
        }),
      );
    expect(await asDml(sql`delete from audit_checkpoints where tenant_id = ${t.id}`)).toMatch(
      /refused/,
    );
    expect(
      await asDml(
        sql`update audit_checkpoints set seq = 1 where tenant_id = ${t.id} and id = ${signed?.id ?? ""}`,
      ),
    ).toMatch(/refused/);
    expect(
      await asDml(
        sql`update audit_chain_heads set anchor_seq = 3, anchor_hash = ${"a".repeat(64)} where tenant_id = ${t.id}`,
      ),
    ).toMatch(/anchor moves only/);
    expect(
      await asDml(
        sql`insert into tenant_signing_keys (id, tenant_id, version, algorithm, public_key, fingerprint, wrapped_secret)
            values ('sgk_planted', ${t.id}, 99, 'ML-DSA-65', 'x', 'x', 'x')`,
      ),
    ).toMatch(/refused/);
    expect((await latestCheckpoint(t.id))?.id).toBe(signed?.id);
    expect(await verifyChain(t.id)).toMatchObject({ ok: true });
  });

  it("sees a chain cut back behind its newest signed checkpoint, head row rewritten", async () => {
    const t = await createTestTenant();
    await append(t.id, 5);
    const signed = await signCheckpoint(systemActing(t.id));
    await append(t.id, 2);
    expect(await verifyChain(t.id)).toMatchObject({ ok: true });
    expect(signed?.seq).toBeGreaterThan(4);
    // As whoever can switch the trigger off: the last four events go, the head follows.
    await db().transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(sql`delete from audit_events where tenant_id = ${t.id} and seq > 4`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    await db().execute(
      sql`update audit_chain_heads set seq = 4, hash = ${await hashAt(t.id, 4)} where tenant_id = ${t.id}`,
    );
    expect(await verifyChain(t.id)).toMatchObject({
      ok: false,
      firstBroken: { seq: 5, reason: expect.stringContaining("events were removed") as unknown },
    });
  });

  it("sees an event rewritten at the signed seq, even with the whole chain re-hashed", async () => {
    const t = await createTestTenant();
    await append(t.id, 3);
    await signCheckpoint(systemActing(t.id)); // signs seq 3
    await db().transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(
        sql`update audit_events set hash = ${"f".repeat(64)} where tenant_id = ${t.id} and seq = 3`,
      );
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    const result = await verifyChain(t.id);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(3);
  });
});

describe("fast verification and export", () => {
  const tamper = (statement: ReturnType<typeof sql>) =>
    db().transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
  const seqOf = async (tenantId: string, userAgent: string) =>
    (await eventsOf(tenantId)).find((e) => e.userAgent === userAgent)?.seq ?? 0;

  it("verifies and exports events whose fields need escaping, and catches a moved quote", async () => {
    const t = await createTestTenant();
    const odd = 'Mozilla/5.0 "quoted", (X11)';
    const odder = "C:\\agent\tv1";
    await append(t.id, 2);
    await append(t.id, 1, { meta: { ...META, userAgent: odd } });
    await append(t.id, 1, { meta: { ...META, userAgent: odder } });
    await append(t.id, 2);
    expect(await verifyChain(t.id)).toMatchObject({ ok: true, firstBroken: null });
    for (const format of ["jsonl", "csv"] as const) {
      const text = await exportText(t.id, { format });
      expect(verifyExport(text)).toMatchObject({ ok: true, gaps: 0 });
      if (format === "jsonl") expect(text).toContain(JSON.stringify(odder));
    }
    // a backslash added before the stored quote would read like the genuine JCS text
    const seq = await seqOf(t.id, odd);
    await tamper(
      sql`update audit_events set user_agent = ${odd.replace('"', '\\"')} where tenant_id = ${t.id} and seq = ${seq}`,
    );
    expect((await verifyChain(t.id)).firstBroken).toMatchObject({
      seq,
      reason: expect.stringContaining("altered") as unknown,
    });
  });

  it("exports filtered by a destination number, recording only its last two digits (#13)", async () => {
    const t = await createTestTenant();
    await append(t.id, 2, { destination: PHONE });
    await append(t.id, 1);
    for (const destination of [PHONE, "+1 (415) 555-0123"]) {
      const text = await exportText(t.id, { filters: { destination } });
      expect(verifyExport(text)).toMatchObject({ ok: true, events: 2, complete: false });
    }
    const exported = (await eventsOf(t.id)).filter((e) => e.action === "audit.exported");
    expect(exported).toHaveLength(2);
    expect(exported[0]?.details).toMatchObject({ filters: { destination: "••••23" } });
    expect(JSON.stringify(exported)).not.toContain("5550123");
  });

  it("exports CSV cells a spreadsheet would run as formulas escaped, and they still verify (#13)", async () => {
    const t = await createTestTenant();
    const formula = '=HYPERLINK("https://evil.example","open")';
    const quoted = "'already quoted";
    for (const userAgent of [formula, "+cmd", "-2+3", "@SUM(A1)", quoted]) {
      await append(t.id, 1, { meta: { ...META, userAgent } });
    }
    const csv = await exportText(t.id, { format: "csv" });
    const cells = csv.split("\n").flatMap((line) => line.split(","));
    // No cell a spreadsheet opens starts with a formula character.
    expect(cells.filter((c) => /^"?[=+\-@]/.test(c))).toEqual([]);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example""`);
    expect(csv).toContain(",'+cmd,");
    expect(csv).toContain(",''already quoted,");
    expect(verifyExport(csv)).toMatchObject({ ok: true, gaps: 0 });
    // the escape is reversed exactly: a value that itself starts with "'" keeps it
    expect(verifyExport(csv.replace(",''already quoted,", ",'already quoted,")).ok).toBe(false);
  });

  it("verifies details stored in jsonb's rendering (before migration 0007), not other content", async () => {
    const t = await createTestTenant();
    await append(t.id, 4, { details: { b: 1, a: { d: [1, "x"], c: null } } });
    const [, second] = await eventsOf(t.id);
    const seq = second?.seq ?? 0;
    await tamper(
      sql`update audit_events set details = details::jsonb::json where tenant_id = ${t.id} and seq = ${seq}`,
    );
    const [row] = rowsOf<{ d: string }>(
      await db().execute(
        sql`select details::text as d from audit_events where tenant_id = ${t.id} and seq = ${seq}`,
      ),
    );
    expect(row?.d).toContain(": "); // not the JCS text any more
    expect(await verifyChain(t.id)).toMatchObject({ ok: true });
    expect(verifyExport(await exportText(t.id))).toMatchObject({ ok: true });

    await tamper(
      sql`update audit_events set details = '{"b": 2, "a": {"d": [1, "x"], "c": null}}' where tenant_id = ${t.id} and seq = ${seq}`,
    );
    expect((await verifyChain(t.id)).firstBroken).toMatchObject({
      seq,
      reason: expect.stringContaining("altered") as unknown,
    });
  });

  it.runIf(getDbHandle().driver === "postgres")(
    "writes the same export through worker threads, window after window, filtered or not",
    async () => {
      // a worker that failed to start would fall back to this process with a warning
      const warn = vi.spyOn(logger(), "warn");
      const t = await createTestTenant();
      await append(t.id, 12);
      await append(t.id, 1, { meta: { ...META, userAgent: 'needs "escaping", (x)' } });
      await append(t.id, 12, { action: "proxy.denied", outcome: "denied" });
      const eventLines = (text: string, format: "jsonl" | "csv") =>
        text
          .split("\n")
          .filter((l) =>
            format === "jsonl" ? l.includes('"type":"event"') : l.startsWith("aud_"),
          );
      for (const format of ["jsonl", "csv"] as const) {
        const inProcess = await exportText(t.id, { format, parallel: { workers: 0 } });
        const threaded = await exportText(t.id, {
          format,
          parallel: { workers: 2, window: 4, minSeqs: 1 },
        });
        expect(verifyExport(threaded)).toMatchObject({ ok: true, complete: true, gaps: 0 });
        const expected = eventLines(inProcess, format);
        // the threaded export is later: same events, plus the ones the first export appended
        expect(eventLines(threaded, format).slice(0, expected.length)).toEqual(expected);
      }
      const denied = await exportText(t.id, {
        filters: { action: "proxy.denied" },
        parallel: { workers: 2, window: 5, minSeqs: 1 },
      });
      expect(verifyExport(denied)).toMatchObject({ ok: true, events: 12, complete: false });
      expect(warn).not.toHaveBeenCalled();
      warn.mockRestore();
    },
  );

  it.runIf(getDbHandle().driver === "postgres")(
    "splits a chain across worker threads and still finds the first break, across their seams",
    async () => {
      const t = await createTestTenant();
      await append(t.id, 29);
      const options = { workers: 3, minEventsPerWorker: 1 };
      const clean = await verifyChain(t.id, options);
      expect(clean).toMatchObject({ ok: true, workers: 3, checked: clean.headSeq });
      // segments are (0,10], (10,20], (20,30]: break the middle one and the seam after it
      await tamper(
        sql`update audit_events set outcome = 'denied' where tenant_id = ${t.id} and seq = 15`,
      );
      await tamper(
        sql`update audit_events set prev_hash = ${"0".repeat(64)} where tenant_id = ${t.id} and seq = 21`,
      );
      expect(await verifyChain(t.id, options)).toMatchObject({
        ok: false,
        workers: 3,
        checked: 14,
        firstBroken: { seq: 15, reason: expect.stringContaining("altered") as unknown },
      });
      await tamper(
        sql`update audit_events set outcome = 'succeeded' where tenant_id = ${t.id} and seq = 15`,
      );
      expect((await verifyChain(t.id, options)).firstBroken).toMatchObject({
        seq: 21,
        reason: expect.stringContaining("prev_hash") as unknown,
      });
      await db().transaction(async (tx) => {
        await tx.execute(sql`set local pqseal.audit_purge = 'on'`);
        await tx.execute(sql`delete from audit_events where tenant_id = ${t.id} and seq = 11`);
      });
      expect((await verifyChain(t.id, options)).firstBroken).toMatchObject({
        seq: 11,
        id: null,
        reason: "event 11 is missing",
      });
    },
  );
});

describe("browsing", () => {
  it("pages newest first with a keyset cursor, without duplicates or gaps", async () => {
    const t = await createTestTenant();
    await append(t.id, 120);
    const seen: number[] = [];
    let cursor: number | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await listAuditEvents(t.id, { limit: 50, cursor });
      seen.push(...result.events.map((e) => e.seq));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
  });

  it("filters by action, outcome, actor, target, time, and destination number in any format", async () => {
    const t = await createTestTenant();
    await append(t.id, 3);
    await append(t.id, 1, {
      action: "proxy.denied",
      outcome: "denied",
      destination: PHONE,
      target: { type: "integration", id: "int_X" },
      integrationId: "int_X",
    });
    const q = async (raw: Record<string, string>) =>
      (await listAuditEvents(t.id, { ...auditFiltersSchema.parse(raw), limit: 50 })).events.map(
        (e) => e.action,
      );
    expect(await q({ action: "proxy.denied" })).toEqual(["proxy.denied"]);
    expect(await q({ outcome: "succeeded" })).toHaveLength(3);
    expect(await q({ actor: "qs_live_Test1234" })).toHaveLength(4);
    expect(await q({ target: "int_X" })).toEqual(["proxy.denied"]);
    expect(await q({ integration: "int_X" })).toEqual(["proxy.denied"]);
    expect(await q({ destination: "+1 (415) 555-0123" })).toEqual(["proxy.denied"]);
    expect(await q({ destination: "+14155550199" })).toEqual([]);
    expect(await q({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await q({ to: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(4);
  });

  it("never shows one tenant's events to another", async () => {
    const a = await createTestTenant();
    const b = await createTestTenant();
    await append(a.id, 2);
    await append(b.id, 3);
    const seenByA = await listAuditEvents(a.id, { limit: 200 });
    expect(seenByA.events.every((e) => e.tenantId === a.id)).toBe(true);
    expect(seenByA.events).toHaveLength(2);
    // the destination HMAC is per tenant: the same number does not correlate across tenants
    await append(a.id, 1, { destination: PHONE });
    await append(b.id, 1, { destination: PHONE });
    const [ha] = (await eventsOf(a.id))
      .filter((e) => e.destinationHmac)
      .map((e) => e.destinationHmac);
    const [hb] = (await eventsOf(b.id))
      .filter((e) => e.destinationHmac)
      .map((e) => e.destinationHmac);
    expect(ha).not.toBe(hb);
  });
});

describe("export", () => {
  it.each(["jsonl", "csv"] as const)(
    "streams a %s file that verifies offline, and is audited",
    async (format) => {
      const t = await createTestTenant();
      await append(t.id, 11, { details: { note: 'quotes " and, commas', nested: { n: 1 } } });
      const text = await exportText(t.id, {
        format,
        actor: { type: "user", id: "usr_x", label: "aud@example.test" },
      });
      const result = verifyExport(text);
      // 11 events + the key.created event of the tenant's first signing key
      expect(result).toMatchObject({ ok: true, events: 12, complete: true, gaps: 0 });
      expect(result.checkpoint).toMatchObject({
        seq: 12,
        signatureValid: true,
        coversLastEvent: true,
      });
      // One event records the export and the checkpoint it signed (#19: it was two).
      const events = await eventsOf(t.id);
      expect(events.map((e) => e.action).filter((a) => a.startsWith("audit."))).toEqual([
        "audit.exported",
      ]);
      expect(events.at(-1)).toMatchObject({
        seq: 13,
        targetType: "audit_checkpoint",
        targetId: expect.stringMatching(/^ckp_/) as unknown,
        details: { format, through_seq: 12 },
      });

      // tampering with one event in the file is caught at that event
      const tampered =
        format === "jsonl"
          ? text
              .replace('"seq":4,', '"seq":4,"x":1,')
              .replace('"outcome":"succeeded"', '"outcome":"denied"')
          : text.replace(/succeeded/, "denied");
      const bad = verifyExport(tampered);
      expect(bad.ok).toBe(false);
      // JSONL: the extra field (line 5 holds seq 4) and the changed outcome; CSV: the outcome
      expect(bad.problems.join(" ")).toMatch(/event seq 1|seq 4/);
      if (format === "jsonl") expect(bad.problems.join(" ")).toContain("line 5");
    },
  );

  it("exports only the filtered events, and says the file is not complete", async () => {
    const t = await createTestTenant();
    await append(t.id, 3);
    await append(t.id, 2, { action: "proxy.denied", outcome: "denied" });
    const result = verifyExport(await exportText(t.id, { filters: { action: "proxy.denied" } }));
    expect(result).toMatchObject({ ok: true, events: 2, complete: false });
  });

  it.each(["jsonl", "csv"] as const)(
    "fails offline verification when the %s header is edited (#13)",
    async (format) => {
      const t = await createTestTenant();
      await append(t.id, 3);
      await append(t.id, 2, { action: "proxy.denied", outcome: "denied" });
      const filtered = await exportText(t.id, { format, filters: { action: "proxy.denied" } });
      const complete = await exportText(t.id, { format });
      expect(verifyExport(filtered)).toMatchObject({ ok: true, complete: false });
      expect(verifyExport(complete)).toMatchObject({ ok: true, complete: true });
      const edits = {
        "claims completeness": filtered.replace('"complete":false', '"complete":true'),
        "hides its filters": filtered.replace(/"filters":\{[^}]*\}/, '"filters":{}'),
        "forges a purge anchor": complete.replace(/"anchor":\{"seq":0/, '"anchor":{"seq":3'),
        "names another range": complete.replace(/"through_seq":(\d+)/, '"through_seq":2'),
        "drops its signature": complete.replace(/,"signature":"[^"]+"/, ""),
      };
      for (const [what, text] of Object.entries(edits)) {
        expect(text, what).not.toBe(what.includes("complet") ? filtered : complete);
        const result = verifyExport(text);
        expect(result.ok, what).toBe(false);
        expect(result.problems.join(" "), what).toMatch(/header/);
      }
      // --strict: a filtered export is not a complete record
      expect(verifyExport(filtered, undefined, { strict: true }).ok).toBe(false);
      expect(verifyExport(complete, undefined, { strict: true }).ok).toBe(true);
    },
  );

  it.each(["jsonl", "csv"] as const)(
    "fails a %s export with its events, or its checkpoint too, cut out (#13)",
    async (format) => {
      const t = await createTestTenant();
      await append(t.id, 3);
      const text = await exportText(t.id, { format });
      expect(verifyExport(text).ok).toBe(true);
      const lines = text.split("\n");
      const isEvent = (l: string) =>
        format === "jsonl" ? l.includes('"type":"event"') : l.startsWith("aud_");
      const noEvents = lines.filter((l, i) => !(i > 0 && isEvent(l))).join("\n");
      expect(noEvents).not.toBe(text);
      expect(verifyExport(noEvents).ok).toBe(false);
      const nothing = noEvents
        .split("\n")
        .filter((l) => !l.includes('"type":"checkpoint"'))
        .join("\n");
      const result = verifyExport(nothing);
      expect(result.ok).toBe(false);
      expect(result.problems.join(" ")).toContain("checkpoint the header names is missing");
    },
  );

  it("fails a filtered export with an invented event outside its signed range (#13)", async () => {
    const t = await createTestTenant();
    await append(t.id, 2, { action: "proxy.denied", outcome: "denied" });
    const text = await exportText(t.id, { filters: { action: "proxy.denied" } });
    const lines = text.trimEnd().split("\n");
    const last = JSON.parse(lines.at(-2) ?? "{}") as Record<string, unknown> & {
      seq: number;
      hash: string;
    };
    const { type: _, prev_hash: __, hash: ___, ...record } = last;
    const invented = { ...record, seq: last.seq + 50, id: "aud_invented" };
    const forged = {
      type: "event",
      ...invented,
      prev_hash: last.hash,
      hash: eventHash(last.hash, invented as unknown as ChainRecord),
    };
    const tampered = [...lines.slice(0, -1), JSON.stringify(forged), lines.at(-1)].join("\n");
    const result = verifyExport(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems.join(" ")).toContain("outside the export's signed tenant and range");
  });

  it("is strict about shape: an extra field or a duplicate key fails verification (#13)", async () => {
    const t = await createTestTenant();
    await append(t.id, 2);
    const text = await exportText(t.id);
    expect(verifyExport(text).ok).toBe(true);
    const extra = verifyExport(text.replace('"seq":2,', '"seq":2,"note":"x",'));
    expect(extra.ok).toBe(false);
    expect(extra.problems.join(" ")).toContain("exactly the 20 export fields");
    // A second "outcome" would be the one a lax parser shows; the hash covers the first.
    const dup = verifyExport(
      text.replace('"outcome":"succeeded",', '"outcome":"succeeded","outcome":"denied",'),
    );
    expect(dup.ok).toBe(false);
    expect(dup.problems.join(" ")).toContain('"outcome" appears twice');
  });

  it("the offline verifier refuses success without a pinned key, unless told --unpinned (#13)", async () => {
    const t = await createTestTenant();
    await append(t.id, 2);
    const text = await exportText(t.id);
    const fingerprint = verifyExport(text).checkpoint?.fingerprint ?? "";
    const file = path.join(os.tmpdir(), `pqseal-export-${t.id}.jsonl`);
    writeFileSync(file, text);
    const cli = (...args: string[]) =>
      spawnSync("npx", ["tsx", "tools/cli/verify-export.ts", file, ...args], {
        encoding: "utf8",
      });
    const unpinned = cli();
    expect(unpinned.status).toBe(1);
    expect(unpinned.stdout).toContain("no signing key pinned");
    expect(cli("--unpinned").status).toBe(0);
    expect(cli("--fingerprint", fingerprint).status).toBe(0);
    expect(cli("--fingerprint", "00".repeat(32)).status).toBe(1);
  });

  it("rejects a file signed by a key other than the pinned one", async () => {
    const t = await createTestTenant();
    await append(t.id, 2);
    const result = verifyExport(await exportText(t.id), "00".repeat(32));
    expect(result.ok).toBe(false);
    expect(result.problems.join()).toContain("pinned");
  });
});

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as outboundRoute } from "@/app/api/v2/proxy/outbound/route";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { verifyChain } from "@/lib/features/audit/verify-chain";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import type * as GroupCommit from "@/lib/platform/audit/group-commit";
import { drainSpool } from "@/lib/platform/audit/spool";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { proxySpoolHandlers } from "./record-outcome";

vi.hoisted(() => {
  // The spool lives in the data folder: a fresh one per run (created on first spool).
  process.env.PQSEAL_DATA_DIR = `/tmp/pqseal-spool-test-${process.pid}-${Date.now()}`;
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
// The database "goes down" for the next audit write: the group commit fails as a lost
// connection would, after Twilio has answered.
const outage = vi.hoisted(() => ({ next: false }));
vi.mock("@/lib/platform/audit/group-commit", async (importOriginal) => {
  const real = await importOriginal<typeof GroupCommit>();
  return {
    ...real,
    appendAudit: (...args: Parameters<typeof real.appendAudit>) => {
      if (!outage.next) return real.appendAudit(...args);
      outage.next = false;
      return Promise.reject(new Error("write ECONNRESET (database connection lost)"));
    },
  };
});

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN }],
  });
});
afterAll(() => double.close());

const TO = "+14155550123";

describe("a database outage between Twilio's answer and the audit write (#13)", () => {
  it("answers 503 audit_pending with the SID, spools the event, and writes it when the database is back", async () => {
    const s = await proxySetup((user) => (session.user = user));
    const send = () =>
      outboundRoute(
        new NextRequest("http://localhost/api/v2/proxy/outbound", {
          method: "POST",
          headers: {
            "x-api-key": s.key,
            "content-type": "application/json",
            "idempotency-key": "outage-1",
          },
          body: JSON.stringify({
            integration_id: s.integration.id,
            operation: "send_sms",
            payload: { to: TO, body: "during an outage" },
          }),
        }),
      );
    const sendEvents = () =>
      getDb()
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, s.tenantId), eq(auditEvents.action, "proxy.send_sms")));
    const before = double.messages.length;

    outage.next = true;
    const res = await send();
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe("audit_pending");
    expect(body.detail).toMatch(/\(SM[0-9a-f]{32}\)/);
    expect(double.messages.length).toBe(before + 1);
    expect(await sendEvents()).toHaveLength(0);
    // The key stays claimed: a retry does not send a second SMS.
    expect((await send()).status).toBe(409);
    expect(double.messages.length).toBe(before + 1);

    // The recovery job writes the spooled event once the database takes it. A copy of the entry
    // put back (as a crash between the commit and the file's removal would leave it) is
    // recognised by its spool id and not written twice.
    const spoolDir = path.join(process.env.PQSEAL_DATA_DIR ?? "", "audit-spool");
    const [entry] = readdirSync(spoolDir).filter((n) => n.endsWith(".entry"));
    const copy = readFileSync(path.join(spoolDir, entry ?? ""));
    expect(copy.toString()).not.toContain("4155550123"); // wrapped, not in the clear
    expect(await drainSpool(proxySpoolHandlers)).toBe(1);
    writeFileSync(path.join(spoolDir, entry ?? ""), copy);
    expect(await drainSpool(proxySpoolHandlers)).toBe(1);
    expect(await drainSpool(proxySpoolHandlers)).toBe(0);
    expect(await sendEvents()).toHaveLength(1);
    const [event] = await sendEvents();
    const sid = /\((SM[0-9a-f]{32})\)/.exec(body.detail)?.[1];
    expect(event?.details).toMatchObject({ twilio_sid: sid });
    expect(event?.destinationLast2).toBe("23");
    expect(await verifyChain(s.tenantId)).toMatchObject({ ok: true });
    // ...and the same Idempotency-Key now answers with the stored result, still one SMS.
    const again = await send();
    expect(again.status).toBe(200);
    expect(double.messages.length).toBe(before + 1);
  });
});

// Kills a real forwarding worker process mid-delivery and shows the event is delivered
// exactly once afterwards (the receiver de-duplicates by X-PQSeal-Event-Id). PostgreSQL only:
// the worker process needs a database it can share with the test.
import { spawn } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { webhookIntegration } from "@/test/webhook-setup";
import { configureForwarding, processDueDeliveries } from "./forward";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

describe.runIf(process.env.DATABASE_URL)("forwarding across a worker crash", () => {
  it("delivers exactly once after the worker is killed mid-delivery", async () => {
    // The receiver processes each event id once (a repeat is acknowledged, not processed);
    // the first request never gets an answer.
    const receipts = new Map<string, number>();
    const processed = new Set<string>();
    let hang = true;
    let sawFirst: () => void = () => {};
    const first = new Promise<void>((r) => (sawFirst = r));
    const hanging: ServerResponse[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const id = String(req.headers["x-pqseal-event-id"]);
        receipts.set(id, (receipts.get(id) ?? 0) + 1);
        processed.add(id);
        if (hang) {
          hanging.push(res);
          sawFirst();
          return;
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const forwardUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const t = await createTestTenant();
    const u = await createTestUser("crash");
    await addMember(t.id, u.id, "admin");
    session.user = testSession(u, "ses_x");
    const ctx = await resolveTenant(t.id, "integrations:write");
    const { integration } = await webhookIntegration(ctx, {
      secret: "crashTestSecret",
      forwardUrl,
    });
    const key = await createApiKey(ctx, {
      name: "r",
      environment: "test",
      scopes: ["proxy"],
      clientPublicKey: generateClientKeyPair().publicKey,
    });
    await configureForwarding(ctx, integration.id, key.clientKeyId ?? "");
    const target = `http://localhost/api/v2/webhooks/twilio/${integration.id}/message-status`;
    const params = { MessageSid: `SM${"7c".repeat(16)}`, MessageStatus: "delivered" };
    const accepted = await POST(
      new NextRequest(target, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilio.getExpectedTwilioSignature(
            "crashTestSecret",
            target,
            params,
          ),
        },
        body: new URLSearchParams(params).toString(),
      }),
      { params: Promise.resolve({ integrationId: integration.id, kind: "message-status" }) },
    );
    expect(accepted.status).toBe(200);

    // A worker process claims the delivery and is killed while the request is in flight.
    // node itself runs the worker (tsx as a loader), so SIGKILL hits the worker, not a wrapper.
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "test/forward-worker.ts"],
      { env: { ...process.env }, stdio: "ignore" },
    );
    await first;
    worker.kill("SIGKILL");
    await new Promise((r) => worker.once("exit", r));
    for (const res of hanging) res.destroy();
    hang = false;

    const [inFlight] = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, t.id));
    expect([inFlight?.state, inFlight?.attempts]).toEqual(["pending", 1]);
    // Its lease still holds: a run of the forwarder leaves it alone. (The forwarder serves every
    // tenant of the shared test database, so this checks this tenant's delivery, not a count.)
    await processDueDeliveries();
    const [held] = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, t.id));
    expect([held?.state, held?.attempts]).toEqual(["pending", 1]);
    // The lease runs out (60 s in real life; moved here rather than waited for).
    await getDb()
      .update(webhookDeliveries)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.tenantId, t.id));
    expect(await processDueDeliveries()).toBeGreaterThanOrEqual(1);
    const [done] = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, t.id));
    expect([done?.state, done?.attempts]).toEqual(["delivered", 2]);
    // Sent twice (once into the crash), processed once: the receiver keys on the event id.
    expect(receipts.get(done?.eventId ?? "")).toBe(2);
    expect([...processed]).toEqual([done?.eventId]);
    await new Promise<void>((r) => receiver.close(() => r()));
  }, 60_000);
});

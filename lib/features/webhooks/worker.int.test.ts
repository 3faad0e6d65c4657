// The worker process (npm run worker), built as production builds it (tools/worker/build.mjs)
// and run by plain Node against the test database: SIGTERM mid-delivery ends it cleanly, with
// the delivery either finished or handed back at once; two workers deliver every row once.
// PostgreSQL only: the worker refuses the embedded database, which one process owns.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { webhookIntegration } from "@/test/webhook-setup";
import { buildWorker } from "@/tools/worker/build.mjs";
import { configureForwarding, processDueDeliveries } from "./forward";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const SECRET = "workerTestSecret";
const root = process.cwd();
// Inside node_modules, so that the bundle's external packages resolve as they do from .next/.
const cache = path.join(root, "node_modules/.cache");
let outDir = "";
let bundle = "";
const workers: ChildProcess[] = [];

/** A worker process; resolves once it reports ready. */
async function startWorker(args: string[] = [], unset: string[] = []) {
  // The audit jobs stay out of these tests (exclusive.int.test.ts covers their lock).
  const variables = { ...process.env, LOG_LEVEL: "info", AUDIT_CHECKPOINT_INTERVAL_MINUTES: "0" };
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: root,
    env: Object.fromEntries(
      Object.entries(variables).filter(([name]) => !unset.includes(name)),
    ) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  workers.push(child);
  let output = "";
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker ready"')) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then(({ code }) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
  return {
    /** SIGTERM; resolves with the exit code and how long the worker took to exit. */
    async stop() {
      const sent = Date.now();
      child.kill("SIGTERM");
      const { code, at } = await exited;
      return { code, ms: at - sent, output: () => output };
    },
  };
}

/** A forward URL's receiver; `answer` decides what happens to each request. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const receipts = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["x-pqseal-event-id"]);
      receipts.set(id, (receipts.get(id) ?? 0) + 1);
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    receipts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A tenant whose integration forwards to `forwardUrl`; `queue(n)` accepts n Twilio webhooks. */
async function forwardingTenant(forwardUrl: string) {
  const t = await createTestTenant();
  const u = await createTestUser("worker");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_w");
  const ctx = await resolveTenant(t.id, "integrations:write");
  const { integration } = await webhookIntegration(ctx, { secret: SECRET, forwardUrl });
  const key = await createApiKey(ctx, {
    name: "r",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: generateClientKeyPair().publicKey,
  });
  await configureForwarding(ctx, integration.id, key.clientKeyId ?? "");
  const target = `http://localhost/api/v2/webhooks/twilio/${integration.id}/message-status`;
  let sent = 0;
  return {
    async queue(n: number) {
      for (let i = 0; i < n; i++) {
        const sid = `SM${(sent++).toString(16).padStart(32, "0")}`;
        const params = { MessageSid: sid, MessageStatus: "delivered" };
        const signature = twilio.getExpectedTwilioSignature(SECRET, target, params);
        const accepted = await POST(
          new NextRequest(target, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              "x-twilio-signature": signature,
            },
            body: new URLSearchParams(params).toString(),
          }),
          { params: Promise.resolve({ integrationId: integration.id, kind: "message-status" }) },
        );
        expect(accepted.status).toBe(200);
      }
    },
    deliveries: () =>
      getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, t.id)),
  };
}

describe.runIf(process.env.DATABASE_URL)("the worker process", () => {
  beforeAll(async () => {
    mkdirSync(cache, { recursive: true });
    outDir = mkdtempSync(path.join(cache, "pqseal-worker-test-"));
    bundle = path.join(outDir, "main.mjs");
    await buildWorker(bundle);
  }, 60_000);

  afterAll(() => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    rmSync(outDir, { recursive: true, force: true });
  });

  it("lets a delivery in flight finish on SIGTERM, then exits 0", async () => {
    let arrived: () => void = () => {};
    const inFlight = new Promise<void>((r) => (arrived = r));
    const slow = await receiver((_req, res) => {
      arrived();
      setTimeout(() => res.writeHead(200).end(), 1500);
    });
    const tenant = await forwardingTenant(slow.url);
    await tenant.queue(1);
    const worker = await startWorker();
    await inFlight;
    const { code, ms, output } = await worker.stop();
    expect(code, output()).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1000); // it waited for the receiver's answer
    expect(ms).toBeLessThan(25_000);
    const [row] = await tenant.deliveries();
    expect([row?.state, row?.attempts]).toEqual(["delivered", 1]);
    expect([...slow.receipts.values()]).toEqual([1]);
    await slow.close();
  }, 60_000);

  it("hands a delivery still in flight after the grace period back, due at once", async () => {
    let arrived: () => void = () => {};
    const inFlight = new Promise<void>((r) => (arrived = r));
    let hang = true;
    const hanging = await receiver((_req, res) => {
      arrived();
      if (!hang) res.writeHead(200).end();
    });
    const tenant = await forwardingTenant(hanging.url);
    await tenant.queue(1);
    const worker = await startWorker(["--grace-ms=300"]);
    await inFlight;
    const { code, ms, output } = await worker.stop();
    expect(code, output()).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(output()).toContain("delivery handed back");
    const [row] = await tenant.deliveries();
    // No lease, the interrupted attempt not counted, due now: any worker takes it at once.
    expect([row?.state, row?.lockedUntil, row?.attempts]).toEqual(["pending", null, 0]);
    expect(row?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    hang = false;
    await processDueDeliveries();
    const [done] = await tenant.deliveries();
    expect([done?.state, done?.attempts]).toEqual(["delivered", 1]);
    // Sent into the shutdown and again (the receiver de-duplicates by the event id).
    expect(hanging.receipts.get(done?.eventId ?? "")).toBe(2);
    await hanging.close();
  }, 60_000);

  it("runs in production mode unless told otherwise: no forwarding to loopback", async () => {
    const local = await receiver((_req, res) => res.writeHead(200).end());
    const tenant = await forwardingTenant(local.url);
    await tenant.queue(1);
    // As a deployment starts it: no NODE_ENV (vitest's is "test"), no deployment mode.
    const worker = await startWorker([], ["NODE_ENV", "PQSEAL_DEPLOYMENT_MODE"]);
    const deadline = Date.now() + 20_000;
    let [row] = await tenant.deliveries();
    // Until an attempt is recorded: claimed (attempts 1, leased), then refused (lease cleared).
    while ((row?.attempts === 0 || row?.lockedUntil) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      [row] = await tenant.deliveries();
    }
    expect(await worker.stop()).toMatchObject({ code: 0 });
    expect([row?.state, row?.attempts, row?.lastError]).toEqual([
      "pending",
      1,
      "forward URL must use https (http only to localhost in development mode)",
    ]);
    expect(local.receipts.size).toBe(0);
    await local.close();
  }, 60_000);

  it("delivers every row once with two workers at the same time", async () => {
    const n = 40;
    const fast = await receiver((_req, res) => {
      setTimeout(() => res.writeHead(200).end(), 20 + Math.random() * 150);
    });
    const tenant = await forwardingTenant(fast.url);
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    await tenant.queue(n);
    const deadline = Date.now() + 40_000;
    let rows = await tenant.deliveries();
    while (rows.some((r) => r.state !== "delivered") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await tenant.deliveries();
    }
    expect(rows).toHaveLength(n);
    expect(rows.filter((r) => r.state === "delivered" && r.attempts === 1)).toHaveLength(n);
    expect(fast.receipts.size).toBe(n);
    expect([...fast.receipts.values()].every((count) => count === 1)).toBe(true);
    const stopped = await Promise.all([a?.stop(), b?.stop()]);
    expect(stopped.map((s) => s?.code)).toEqual([0, 0]);
    await fast.close();
  }, 90_000);
});

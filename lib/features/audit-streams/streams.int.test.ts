// Audit streaming end to end (PGlite and PostgreSQL): events reach a local receiver in seq order with a
// valid Standard Webhooks signature; a receiver outage and a worker restart lose nothing and
// reorder nothing; Splunk HEC and S3 get their shapes; another tenant's events never appear.
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { and, asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents, auditStreams } from "@/db/schema";
import { signCheckpoint } from "@/lib/features/audit/checkpoints";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing, type Acting } from "@/lib/platform/request-context/acting";
import { createTestTenant } from "@/test/factories";
import { processDueStreams } from "./deliver";
import { listStreams } from "./queries";
import { createStream, deleteStream, rotateStreamSecret, setStreamEnabled } from "./service";

vi.hoisted(() => {
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});

type Request = { path: string; headers: IncomingHttpHeaders; body: string };

/** A receiver answering `status()` to each request and keeping what it was sent. */
async function receiver(status: () => number = () => 200) {
  const requests: Request[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const code = status();
      if (code < 300) requests.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function record(acting: Acting, n: number) {
  for (let i = 0; i < n; i++) {
    await getDb().transaction((tx) =>
      recordAudit(tx, acting, {
        action: "settings.updated",
        outcome: "succeeded",
        details: { step: i },
      }),
    );
  }
}

const headSeq = async (tenantId: string) =>
  (
    await getDb()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, tenantId))
  ).reduce((m, r) => Math.max(m, r.seq), 0);

const streamRow = async (tenantId: string, id: string) => {
  const [row] = await getDb()
    .select()
    .from(auditStreams)
    .where(and(eq(auditStreams.tenantId, tenantId), eq(auditStreams.id, id)));
  if (!row) throw new Error("stream missing");
  return row;
};

/** Makes a stream due now (its backoff or S3 flush wait moved, not waited for). */
const dueNow = (id: string) =>
  getDb().update(auditStreams).set({ nextAttemptAt: new Date() }).where(eq(auditStreams.id, id));

/** Passes until the stream's cursor reaches the tenant's head (or `max` passes). */
async function drain(tenantId: string, id: string, max = 10) {
  for (let i = 0; i < max; i++) {
    await dueNow(id);
    await processDueStreams(50);
    const row = await streamRow(tenantId, id);
    if (row.cursorSeq >= (await headSeq(tenantId)) && row.consecutiveFailures === 0) return row;
  }
  return streamRow(tenantId, id);
}

const linesOf = (requests: Request[]) =>
  requests.flatMap((r) =>
    r.body
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; id: string; seq: number; tenant_id: string }),
  );

/** The event lines, each id once (receivers de-duplicate), in the order they first came. */
function uniqueEvents(lines: ReturnType<typeof linesOf>) {
  const seen = new Set<string>();
  return lines.filter((l) => l.type === "pqseal-audit-event" && !seen.has(l.id) && seen.add(l.id));
}

const expectConsecutive = (seqs: number[], from: number, through: number) =>
  expect(seqs).toEqual(Array.from({ length: through - from + 1 }, (_, i) => from + i));

describe("audit streaming", () => {
  let streams: { acting: Acting; id: string }[] = [];
  beforeEach(() => {
    streams = [];
  });
  afterEach(async () => {
    // Another test's pass must not keep sending to a receiver that is gone.
    for (const s of streams) await deleteStream(s.acting, s.id).catch(() => undefined);
  });

  it("delivers events in order, signed the Standard Webhooks way, and only the tenant's", async () => {
    const rx = await receiver();
    const a = await createTestTenant();
    const b = await createTestTenant();
    const actingA = systemActing(a.id);
    await record(actingA, 2); // before the stream: not sent ("now")
    const before = await headSeq(a.id);
    const { id, secret } = await createStream(actingA, {
      kind: "webhook",
      name: "SIEM",
      startFrom: "now",
      url: `${rx.url}/audit`,
    });
    streams.push({ acting: actingA, id });
    expect(secret).toMatch(/^whsec_/);
    await record(actingA, 5);
    await record(systemActing(b.id), 4);
    const row = await drain(a.id, id);
    expect(row.cursorSeq).toBe(await headSeq(a.id));

    const lines = linesOf(rx.requests);
    expect(lines.every((l) => l.tenant_id === a.id)).toBe(true);
    const events = uniqueEvents(lines);
    // Its own creation first (after the vault key its secret needed), then the 5 events.
    expect(events[0]?.seq).toBeGreaterThan(before);
    expectConsecutive(
      events.map((e) => e.seq),
      events[0]?.seq ?? 0,
      await headSeq(a.id),
    );
    expect(events).toHaveLength(6);
    expect((events[0] as unknown as { action: string }).action).toBe("audit_stream.created");
    for (const r of rx.requests) {
      expect(r.headers["content-type"]).toBe("application/x-ndjson");
      expect(() =>
        new Webhook(secret ?? "").verify(r.body, r.headers as Record<string, string>, {
          jsonParse: false,
        }),
      ).not.toThrow();
      const [first, last] = [linesOf([r])[0], linesOf([r]).at(-1)];
      expect(r.headers["webhook-id"]).toBe(`${first?.id}..${last?.id}`);
    }
    // A wrong secret does not verify.
    const first = rx.requests[0];
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(
        first?.body ?? "",
        (first?.headers ?? {}) as Record<string, string>,
        { jsonParse: false },
      ),
    ).toThrow();
    const [view] = await listStreams({ tenantId: a.id });
    expect(view?.lag).toBe(0);
    expect(view?.destination).toBe(`${rx.url}/audit`);
    expect(JSON.stringify(view)).not.toContain(secret ?? "-");
    expect(await listStreams({ tenantId: b.id })).toEqual([]);
    await rx.close();
  });

  it("loses and reorders nothing across a receiver outage, checkpoints after their events", async () => {
    let failing = true;
    const rx = await receiver(() => (failing ? 500 : 200));
    const t = await createTestTenant();
    const acting = systemActing(t.id);
    const { id } = await createStream(acting, {
      kind: "webhook",
      name: "outage",
      startFrom: "beginning",
      url: rx.url,
    });
    streams.push({ acting, id });
    await record(acting, 3);
    await dueNow(id);
    await processDueStreams(50);
    const down = await streamRow(t.id, id);
    expect(down.cursorSeq).toBe(0);
    expect(down.consecutiveFailures).toBe(1);
    expect(down.lastError).toBe("HTTP 500");
    expect(down.lastErrorAt).toBeInstanceOf(Date);
    expect(down.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Still down, more events and a checkpoint meanwhile; the backoff grows.
    await record(acting, 2);
    const checkpoint = await signCheckpoint(acting);
    await record(acting, 2);
    await dueNow(id);
    await processDueStreams(50);
    expect((await streamRow(t.id, id)).consecutiveFailures).toBe(2);
    expect((await listStreams({ tenantId: t.id }))[0]?.lag).toBe(await headSeq(t.id));

    failing = false;
    const row = await drain(t.id, id);
    expect(row.consecutiveFailures).toBe(0);
    expect(row.lastDeliveredAt).toBeInstanceOf(Date);
    const lines = linesOf(rx.requests);
    expectConsecutive(
      uniqueEvents(lines).map((e) => e.seq),
      1,
      await headSeq(t.id),
    );
    // The checkpoint comes right after the event it signs.
    const at = lines.findIndex((l) => l.type === "pqseal-audit-checkpoint");
    expect(lines[at]?.id).toBe(checkpoint?.id);
    expect(lines[at - 1]?.seq).toBe(checkpoint?.seq);
    expect(row.checkpointSeq).toBe(checkpoint?.seq);
    await rx.close();
  });

  it("resumes from the cursor after a restart (fresh module state, a dead worker's lease)", async () => {
    const rx = await receiver();
    const t = await createTestTenant();
    const acting = systemActing(t.id);
    const { id } = await createStream(acting, {
      kind: "webhook",
      name: "restart",
      startFrom: "now",
      url: rx.url,
    });
    streams.push({ acting, id });
    await record(acting, 3);
    await drain(t.id, id);
    const delivered = (await streamRow(t.id, id)).cursorSeq;
    await record(acting, 4);
    // A worker claims the stream and dies before sending: its lease holds the stream.
    vi.resetModules();
    const dead = await import("./deliver");
    const claimed = await dead.claimDueStreams(50);
    expect(claimed.map((c) => c.id)).toContain(id);
    const fresh = await import("./deliver");
    await fresh.processDueStreams(50);
    expect((await streamRow(t.id, id)).cursorSeq).toBe(delivered);
    // The lease runs out (120 s in real life; moved here rather than waited for).
    await getDb()
      .update(auditStreams)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(auditStreams.id, id));
    await fresh.processDueStreams(50);
    const row = await streamRow(t.id, id);
    expect(row.cursorSeq).toBe(await headSeq(t.id));
    const events = uniqueEvents(linesOf(rx.requests));
    expectConsecutive(
      events.map((e) => e.seq),
      delivered - 3,
      row.cursorSeq,
    );
    await rx.close();
  });

  it("sends Splunk HEC its shape and token", async () => {
    const rx = await receiver();
    const t = await createTestTenant();
    const acting = systemActing(t.id);
    const { id, secret } = await createStream(acting, {
      kind: "splunk",
      name: "splunk",
      startFrom: "now",
      url: rx.url,
      token: "11111111-2222-3333-4444-555555555555",
      index: "pqseal",
    });
    streams.push({ acting, id });
    expect(secret).toBeNull();
    await record(acting, 2);
    await drain(t.id, id);
    expect(rx.requests.length).toBeGreaterThan(0);
    for (const r of rx.requests) {
      expect(r.path).toBe("/services/collector/event");
      expect(r.headers.authorization).toBe("Splunk 11111111-2222-3333-4444-555555555555");
    }
    const objects = rx.requests.flatMap((r) =>
      r.body.split("\n").map(
        (l) =>
          JSON.parse(l) as {
            time: number;
            source: string;
            sourcetype: string;
            index: string;
            event: { id: string; seq: number; occurred_at: string };
          },
      ),
    );
    expect(objects).toHaveLength(3);
    for (const o of objects) {
      expect(o).toMatchObject({
        source: `pqseal:${t.id}`,
        sourcetype: "pqseal:audit",
        index: "pqseal",
      });
      expect(o.time).toBe(Date.parse(o.event.occurred_at) / 1000);
      expect(o.event.id).toMatch(/^aud_/);
    }
    // The token is sealed at rest and in no audit event.
    const row = await streamRow(t.id, id);
    expect(JSON.stringify(row)).not.toContain("11111111-2222");
    const details = await getDb()
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, t.id));
    expect(JSON.stringify(details)).not.toContain("11111111-2222");
    await rx.close();
  });

  it("puts batched NDJSON objects to S3 under dated, seq-named keys; a failed put is retried", async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).rejectsOnce(new Error("Service Unavailable")).resolves({});
    const t = await createTestTenant();
    const acting = systemActing(t.id);
    try {
      const { id } = await createStream(acting, {
        kind: "s3",
        name: "bucket",
        startFrom: "now",
        endpoint: "http://127.0.0.1:9000",
        region: "us-east-1",
        bucket: "audit-archive",
        prefix: "pqseal",
        accessKeyId: "AKIAEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        forcePathStyle: true,
      });
      streams.push({ acting, id });
      await record(acting, 3);
      await dueNow(id);
      await processDueStreams(50);
      const failedRow = await streamRow(t.id, id);
      expect(failedRow.consecutiveFailures).toBe(1);
      expect(failedRow.lastError).toContain("Service Unavailable");
      const row = await drain(t.id, id);
      // A partly filled object waits a minute before the next one.
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
      const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(puts).toHaveLength(2);
      const last = puts[1];
      const lines = (last?.Body as string)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; seq: number; occurred_at: string });
      expect(lines).toHaveLength(4);
      const day = lines[0]?.occurred_at.slice(0, 10).replaceAll("-", "/");
      const pad = (n: number | undefined) => String(n).padStart(12, "0");
      expect(last).toMatchObject({
        Bucket: "audit-archive",
        ContentType: "application/x-ndjson",
        Key: `pqseal/${t.id}/${day}/${pad(lines[0]?.seq)}-${pad(lines.at(-1)?.seq)}.ndjson`,
      });
      // The failed put and its retry name the same object (a retry overwrites, no duplicate).
      expect(puts[0]?.Key).toBe(last?.Key);
      expect(row.cursorSeq).toBe(lines.at(-1)?.seq);
    } finally {
      s3.restore();
    }
  });

  it("audits every change without the secret, and a disabled stream keeps its place", async () => {
    const rx = await receiver();
    const t = await createTestTenant();
    const other = await createTestTenant();
    const acting = systemActing(t.id);
    const { id, secret } = await createStream(acting, {
      kind: "webhook",
      name: "changes",
      startFrom: "now",
      url: rx.url,
    });
    await setStreamEnabled(acting, id, false);
    await record(acting, 2);
    await processDueStreams(50);
    expect(rx.requests).toHaveLength(0);
    const rotated = await rotateStreamSecret(acting, id, undefined);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await setStreamEnabled(acting, id, true);
    await drain(t.id, id);
    // Nothing lost while off; signed with the new secret.
    const events = uniqueEvents(linesOf(rx.requests));
    expect((events[0] as unknown as { action: string }).action).toBe("audit_stream.created");
    expectConsecutive(
      events.map((e) => e.seq),
      events[0]?.seq ?? 0,
      events.at(-1)?.seq ?? 0,
    );
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const r of rx.requests) {
      expect(() =>
        new Webhook(rotated ?? "").verify(r.body, r.headers as Record<string, string>, {
          jsonParse: false,
        }),
      ).not.toThrow();
    }
    // Another tenant's acting cannot touch it.
    await expect(setStreamEnabled(systemActing(other.id), id, false)).rejects.toMatchObject({
      code: "not_found",
    });
    await deleteStream(acting, id);
    const audited = await getDb()
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, t.id))
      .orderBy(asc(auditEvents.seq));
    expect(audited.map((a) => a.action).filter((a) => a.startsWith("audit_stream."))).toEqual([
      "audit_stream.created",
      "audit_stream.updated",
      "audit_stream.updated",
      "audit_stream.updated",
      "audit_stream.deleted",
    ]);
    const text = JSON.stringify(audited);
    expect(text).not.toContain(secret ?? "-");
    expect(text).not.toContain(rotated ?? "-");
    await rx.close();
  });

  it("hands a stream back on shutdown, the interrupted batch not counted as a failure", async () => {
    const hanging: ServerResponse[] = [];
    let arrived: () => void = () => {};
    const first = new Promise<void>((r) => (arrived = r));
    const server = createServer((req, res) => {
      req.resume();
      hanging.push(res);
      arrived();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const t = await createTestTenant();
    const acting = systemActing(t.id);
    const { id } = await createStream(acting, {
      kind: "webhook",
      name: "shutdown",
      startFrom: "beginning",
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    streams.push({ acting, id });
    await dueNow(id);
    const shutdown = new AbortController();
    const pass = processDueStreams(50, shutdown.signal);
    await first;
    shutdown.abort();
    await pass;
    const row = await streamRow(t.id, id);
    expect(row).toMatchObject({ cursorSeq: 0, consecutiveFailures: 0, lockedUntil: null });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
});

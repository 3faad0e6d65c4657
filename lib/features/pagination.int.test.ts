// The one list convention of /api/v2 (lib/platform/http/pagination.ts): `?limit=` 1–200
// (default 50), an opaque `?cursor=`, and `next_cursor` + `has_more` in the body. Each list
// route is walked page by page: every row of the tenant once, in order, none of another
// tenant's; a bad limit or a tampered cursor is 400 invalid_input naming the field.
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { GET as auditEventsRoute } from "@/app/api/v2/audit/events/route";
import { GET as webhookEventsRoute } from "@/app/api/v2/integrations/[integrationId]/webhook-events/route";
import { GET as integrationsRoute } from "@/app/api/v2/integrations/route";
import { GET as credentialsRoute } from "@/app/api/v2/vault/credentials/route";
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents, webhookDeliveries, webhookEvents } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { listIntegrations } from "@/lib/features/integrations/queries";
import { createIntegrationSchema } from "@/lib/features/integrations/schemas";
import { createIntegration } from "@/lib/features/integrations/service";
import { listCredentials } from "@/lib/features/vault/queries";
import { sealCredential } from "@/lib/features/vault/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { encodeCursor } from "@/lib/platform/http/pagination";
import { newId } from "@/lib/shared/ids";
import { proxySetup } from "@/test/proxy-setup";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

type Setup = Awaited<ReturnType<typeof proxySetup>>;
type Body = { next_cursor: string | null; has_more: boolean } & Record<string, unknown>;
type Item = { id: string };

const get = (path: string, key: string) =>
  new NextRequest(`http://localhost${path}`, { headers: { "x-api-key": key } });
const params = <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve(p) });

const integrationInput = (name: string, credentialId: string) =>
  createIntegrationSchema.parse({
    name,
    system_type: "twilio",
    credential_id: credentialId,
    allowed_operations: ["send_sms"],
  });

/** A tenant with 5 credentials, 5 integrations, 5 webhook events (same instant) and a key. */
async function world(label: string) {
  const s = await proxySetup((user) => (session.user = user));
  for (let i = 1; i < 5; i++) {
    await sealCredential(s.ctx, {
      type: "webhook_secret",
      name: `${label} secret ${i}`,
      values: { secret: `whsec_${label}_${i}_${"x".repeat(24)}` },
    });
    await createIntegration(s.ctx, integrationInput(`${label} ${i}`, s.cred.id));
  }
  // One statement: all five share received_at (now()), so only the id orders them.
  await getDb()
    .insert(webhookEvents)
    .values(
      Array.from({ length: 5 }, (_, i) => ({
        id: newId("webhookEvent"),
        tenantId: s.tenantId,
        integrationId: s.integration.id,
        kind: "status",
        dedupeKey: `sig:${label}${i}`,
        validation: "current",
        summary: {
          sid: `SM${String(i).repeat(32)}`,
          status: "delivered",
          event_type: null,
          error_code: null,
          from: null,
          to: { last2: "23", hmac: "h" },
        },
        sealedRequest: "sealed",
        vaultKeyId: "vkey_x",
      })),
    );
  const [first] = await getDb()
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(eq(webhookEvents.tenantId, s.tenantId))
    .limit(1);
  if (first) {
    await getDb()
      .insert(webhookDeliveries)
      .values({
        id: newId("delivery"),
        tenantId: s.tenantId,
        eventId: first.id,
        state: "delivered",
        attempts: 1,
        lastStatus: 200,
        deliveredAt: new Date(),
      });
  }
  const audit = await createApiKey(s.ctx, {
    name: "auditor",
    environment: "test",
    scopes: ["audit:read"],
  });
  return { ...s, auditKey: audit.key };
}

/** Follows next_cursor from the first page to the last; the pages' bodies. */
async function walk(
  call: (query: string) => Promise<Response>,
  limit: number,
  start: string | null = null,
) {
  const pages: Body[] = [];
  let cursor = start;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await call(query);
    expect(res.status, query).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.has_more).toBe(body.next_cursor !== null);
    pages.push(body);
    cursor = body.next_cursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

const idsOf = (pages: Body[], key: string) =>
  pages.flatMap((p) => (p[key] as Item[]).map((item) => item.id));

async function expect400(res: Response, field: string) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { code?: string; fields?: Record<string, string[]> };
  expect(body.code).toBe("invalid_input");
  expect(Object.keys(body.fields ?? {})).toContain(field);
}

interface ListRoute {
  name: string;
  key: string;
  call: (w: Setup & { auditKey: string }, query: string) => Promise<Response>;
  /** The tenant's ids in the route's order, read from the database/feature directly. */
  expected: (w: Setup & { auditKey: string }) => Promise<string[]>;
}

const ROUTES: ListRoute[] = [
  {
    name: "GET /api/v2/vault/credentials",
    key: "credentials",
    call: (w, q) => credentialsRoute(get(`/api/v2/vault/credentials${q}`, w.key)),
    expected: async (w) => (await listCredentials(w.tenantId)).map((c) => c.id),
  },
  {
    name: "GET /api/v2/integrations",
    key: "integrations",
    call: (w, q) => integrationsRoute(get(`/api/v2/integrations${q}`, w.key)),
    expected: async (w) => (await listIntegrations(w.tenantId)).map((i) => i.id),
  },
  {
    name: "GET /api/v2/integrations/{id}/webhook-events",
    key: "webhook_events",
    call: (w, q) =>
      webhookEventsRoute(
        get(`/api/v2/integrations/${w.integration.id}/webhook-events${q}`, w.key),
        params({ integrationId: w.integration.id }),
      ),
    expected: async (w) =>
      (
        await getDb()
          .select({ id: webhookEvents.id })
          .from(webhookEvents)
          .where(eq(webhookEvents.tenantId, w.tenantId))
          .orderBy(desc(webhookEvents.receivedAt), desc(webhookEvents.id))
      ).map((r) => r.id),
  },
  {
    name: "GET /api/v2/audit/events",
    key: "events",
    call: (w, q) => auditEventsRoute(get(`/api/v2/audit/events${q}`, w.auditKey)),
    expected: async (w) =>
      (
        await getDb()
          .select({ id: auditEvents.id })
          .from(auditEvents)
          .where(eq(auditEvents.tenantId, w.tenantId))
          .orderBy(desc(auditEvents.seq))
      ).map((r) => r.id),
  },
];

const route = (key: string) => {
  const found = ROUTES.find((r) => r.key === key);
  if (!found) throw new Error(key);
  return found;
};

describe.each(ROUTES)("$name", (route) => {
  it("walks every row of the tenant once, in order, and none of another tenant's", async () => {
    const a = await world("a");
    const b = await world("b");
    const expected = await route.expected(a);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const pages = await walk((q) => route.call(a, q), 2);
    expect(pages).toHaveLength(Math.ceil(expected.length / 2));
    expect(pages.at(-1)?.has_more).toBe(false);
    expect(pages.at(-1)?.next_cursor).toBeNull();
    expect(idsOf(pages, route.key)).toEqual(expected);
    const others = new Set(await route.expected(b));
    expect(idsOf(pages, route.key).filter((id) => others.has(id))).toEqual([]);
    // Without limit: the default (50) holds them all in one page.
    const all = await walk((q) => route.call(a, q.replace("limit=2", "")), 2);
    expect(all).toHaveLength(1);
    expect(idsOf(all, route.key)).toEqual(expected);
  });

  it("refuses a limit outside 1–200 and a tampered cursor with 400 invalid_input", async () => {
    const a = await world("c");
    for (const limit of ["0", "201", "-1", "1e2", "two", "2.5"]) {
      await expect400(await route.call(a, `?limit=${limit}`), "limit");
    }
    const [first] = await walk((q) => route.call(a, q), 1);
    const cursor = first?.next_cursor ?? "";
    expect(cursor).not.toBe("");
    for (const tampered of [
      `${cursor}x`,
      cursor.length > 8 ? cursor.slice(0, -3) : "0",
      "!!",
      "a".repeat(1_001),
      encodeCursor({ at: "not a time", id: "cred_x" }),
      Buffer.from('{"at":1}').toString("base64url"),
      Buffer.from("[]").toString("base64url"),
    ]) {
      await expect400(
        await route.call(a, `?limit=1&cursor=${encodeURIComponent(tampered)}`),
        "cursor",
      );
    }
  });
});

describe("keyset paging", () => {
  it("keeps microseconds apart and is not shifted by rows added between pages", async () => {
    const a = await world("f");
    const ids = (await route("integrations").expected(a)).slice(0, 5);
    // Five integrations one microsecond apart, inside one millisecond (a Date keeps only ms).
    for (const [i, id] of ids.entries()) {
      await getDb().execute(
        sql`update integrations set created_at = ${`2026-11-30T10:00:00.00${i}Z`}::timestamptz
            where id = ${id} and tenant_id = ${a.tenantId}`,
      );
    }
    const expected = await route("integrations").expected(a);
    const call = (q: string) => integrationsRoute(get(`/api/v2/integrations${q}`, a.key));
    const first = (await (await call("?limit=2")).json()) as Body;
    // A new integration (newest of all) arrives between the first and the second page.
    await createIntegration(a.ctx, integrationInput("late", a.cred.id));
    expect(first.next_cursor).not.toBeNull();
    const rest = await walk(call, 2, first.next_cursor);
    expect(idsOf([first, ...rest], "integrations")).toEqual(expected);
  });
});

describe("webhook events of another tenant's integration", () => {
  it("is not found, and the page shows the delivery without payloads or numbers", async () => {
    const a = await world("d");
    const b = await world("e");
    const res = await webhookEventsRoute(
      get(`/api/v2/integrations/${b.integration.id}/webhook-events`, a.key),
      params({ integrationId: b.integration.id }),
    );
    expect(res.status).toBe(404);
    const own = (await (
      await webhookEventsRoute(
        get(`/api/v2/integrations/${a.integration.id}/webhook-events`, a.key),
        params({ integrationId: a.integration.id }),
      )
    ).json()) as { webhook_events: Record<string, unknown>[] };
    expect(own.webhook_events).toHaveLength(5);
    expect(own.webhook_events.filter((e) => e.delivery !== null)).toHaveLength(1);
    const text = JSON.stringify(own);
    expect(text).not.toContain("sealed");
    expect(text).not.toContain('"hmac"');
    expect(own.webhook_events[0]).toMatchObject({ to_last2: "23", from_last2: null });
  });
});

import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { GET as keysRoute } from "@/app/api/v2/keys/route";
import { GET as auditEventsRoute } from "@/app/api/v2/audit/events/route";
import { POST as webhookRoute } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { isId, newId } from "@/lib/shared/ids";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";

// Every /api/v2 answer, success or problem details, carries X-Request-Id: the caller's valid
// one, else a new req_… id; the audit events of the request record the same id.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

async function keyWith(scopes: "audit:read"[] | []) {
  const t = await createTestTenant();
  const u = await createTestUser("reqid");
  await addMember(t.id, u.id, "owner");
  session.user = testSession(u, "ses_reqid");
  const ctx = await resolveTenant(t.id, "keys:write");
  const key = await createApiKey(ctx, { name: "k", environment: "test", scopes });
  return { tenantId: t.id, key: key.key };
}

const get = (path: string, headers: Record<string, string>) =>
  new NextRequest(`http://localhost${path}`, { headers });

describe("X-Request-Id on /api/v2", () => {
  it("is on a success and on an error, echoing the caller's valid id", async () => {
    const { key } = await keyWith([]);
    const ok = await keysRoute(
      get("/api/v2/keys", { "x-api-key": key, "x-request-id": "trace-1" }),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("trace-1");

    const refused = await keysRoute(get("/api/v2/keys", { "x-request-id": "trace-2" }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("www-authenticate")).toContain("ApiKey");
    expect(refused.headers.get("x-request-id")).toBe("trace-2");
    expect(await refused.json()).toMatchObject({
      type: "/api-reference#error-unauthenticated",
      title: "Authentication required",
      status: 401,
      code: "unauthenticated",
      request_id: "trace-2",
      instance: "urn:pqseal:request:trace-2",
    });
  });

  it("makes a new id when none or an invalid one is sent", async () => {
    const { key } = await keyWith([]);
    const none = await keysRoute(get("/api/v2/keys", { "x-api-key": key }));
    expect(isId("request", none.headers.get("x-request-id") ?? "")).toBe(true);
    const bad = await keysRoute(get("/api/v2/keys", { "x-request-id": "no spaces allowed" }));
    const id = bad.headers.get("x-request-id") ?? "";
    expect(isId("request", id)).toBe(true);
    expect(((await bad.json()) as { request_id: string }).request_id).toBe(id);
  });

  it("is the request id of the audit event a refusal records", async () => {
    const { key, tenantId } = await keyWith([]);
    const id = `trace-${newId("request")}`;
    const res = await auditEventsRoute(
      get("/api/v2/audit/events", { "x-api-key": key, "x-request-id": id }),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("x-request-id")).toBe(id);
    const [event] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.action, "api_key.denied")));
    expect(event?.requestId).toBe(id);
  });

  it("is on the webhook intake's answers", async () => {
    const integrationId = newId("integration");
    const res = await webhookRoute(
      new NextRequest(`http://localhost/api/v2/webhooks/twilio/${integrationId}/bogus`, {
        method: "POST",
        headers: { "x-request-id": "twilio-hook-1" },
      }),
      { params: Promise.resolve({ integrationId, kind: "bogus" }) },
    );
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("twilio-hook-1");
  });
});

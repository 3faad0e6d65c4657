// An integration allowing Verify operations needs its Verify service SID (API and form); the
// console's country picker submits one value per country; a send elsewhere is refused with the
// country's name.
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { PATCH as patchRoute } from "@/app/api/v2/integrations/[integrationId]/route";
import { POST as createRoute } from "@/app/api/v2/integrations/route";
import { getDb } from "@/db";
import { auditEvents, integrations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors/app-error";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { proxySetup, VERIFY_SID } from "@/test/proxy-setup";
import { updateIntegrationAction } from "./actions";
import { createIntegration } from "./service";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const setup = (overrides: Parameters<typeof proxySetup>[1] = {}) =>
  proxySetup((user) => (session.user = user), overrides);

const api = (path: string, key: string, method: string, body: unknown) =>
  new NextRequest(`http://localhost${path}`, {
    method,
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const value of Array.isArray(v) ? v : [v]) data.append(k, value);
  }
  return data;
}

type ErrorBody = { code: string; detail: string; fields?: Record<string, string[]> };

const eventCount = async (tenantId: string) =>
  getDb().$count(auditEvents, eq(auditEvents.tenantId, tenantId));

describe("the Verify service SID", () => {
  it("is required to create an integration allowing a Verify operation (API)", async () => {
    const s = await setup();
    const before = await eventCount(s.tenantId);
    for (const op of [
      "create_verification",
      "check_verification",
      "fetch_verification",
      "cancel_verification",
    ]) {
      const res = await createRoute(
        api("/api/v2/integrations", s.key, "POST", {
          name: "verify",
          system_type: "twilio",
          credential_id: s.cred.id,
          allowed_operations: ["send_sms", op],
        }),
      );
      expect(res.status, op).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.code).toBe("invalid_input");
      expect(body.detail).toContain(`verify_service_sid is required`);
      expect(body.detail).toContain(op);
      expect(Object.keys(body.fields ?? {})).toEqual(["verify_service_sid"]);
    }
    expect(await getDb().$count(integrations, eq(integrations.tenantId, s.tenantId))).toBe(1);
    expect(await eventCount(s.tenantId)).toBe(before);
    // Without Verify operations, none is needed; with the SID, it saves.
    const plain = await createIntegration(s.ctx, {
      ...base(s.cred.id),
      allowed_operations: ["send_sms"],
    });
    expect(plain.verify_service_sid).toBeNull();
    const withSid = await createIntegration(s.ctx, {
      ...base(s.cred.id),
      allowed_operations: ["create_verification"],
      verify_service_sid: VERIFY_SID,
    });
    expect(withSid.allowed_operations).toEqual(["create_verification"]);
  });

  it("is required when a change allows Verify or removes the SID; other changes still save", async () => {
    const s = await setup({ allowed_operations: ["send_sms"], verify_service_sid: null });
    const patch = (body: unknown) =>
      patchRoute(api(`/api/v2/integrations/${s.integration.id}`, s.key, "PATCH", body), {
        params: Promise.resolve({ integrationId: s.integration.id }),
      });
    const allow = await patch({ allowed_operations: ["send_sms", "check_verification"] });
    expect(allow.status).toBe(400);
    expect(((await allow.json()) as ErrorBody).fields).toHaveProperty("verify_service_sid");
    expect((await patch({ verify_service_sid: VERIFY_SID })).status).toBe(200);
    expect((await patch({ allowed_operations: ["check_verification"] })).status).toBe(200);
    const remove = await patch({ verify_service_sid: null });
    expect(remove.status).toBe(400);

    // An integration saved before the rule can still be switched off.
    await getDb()
      .update(integrations)
      .set({ verifyServiceSid: null })
      .where(eq(integrations.id, s.integration.id));
    expect((await patch({ enabled: false })).status).toBe(200);
  });

  it("is a field error in the console form, which keeps the ticked countries as values", async () => {
    const s = await setup({ allowed_operations: ["send_sms"], verify_service_sid: null });
    const fields = {
      tenantId: s.tenantId,
      integrationId: s.integration.id,
      name: "main",
      credential_id: s.cred.id,
      allowed_operations: ["send_sms", "create_verification"],
      allowed_countries: ["GG", "US"],
      verify_service_sid: "",
    };
    const refused = await updateIntegrationAction({}, form(fields));
    expect(refused.ok).toBeUndefined();
    expect(Object.keys(refused.errors ?? {})).toEqual(["verify_service_sid"]);
    expect(refused.message).toBe("Please correct the highlighted fields.");

    const saved = await updateIntegrationAction(
      {},
      form({ ...fields, verify_service_sid: VERIFY_SID }),
    );
    expect(saved).toMatchObject({ ok: true });
    const [row] = await getDb()
      .select()
      .from(integrations)
      .where(eq(integrations.id, s.integration.id));
    expect(row?.allowedCountries).toEqual(["GG", "US"]);
    expect(row?.verifyServiceSid).toBe(VERIFY_SID);
  });

  it("throws an AppError naming the field from the service itself", async () => {
    const s = await setup();
    const refused = createIntegration(s.ctx, {
      ...base(s.cred.id),
      allowed_operations: ["fetch_verification"],
    });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({
      options: { fieldErrors: { verify_service_sid: [expect.stringContaining("VA…")] } },
    });
  });
});

describe("geo permissions", () => {
  it("refuses a send to another country, naming it (Guernsey (GG), not GG)", async () => {
    const s = await setup({ allowed_countries: ["US"] });
    const refused = s.client.proxy.outbound({
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: "+447781123456", body: "hello" },
    });
    await expect(refused).rejects.toMatchObject({
      status: 403,
      code: "destination_not_allowed",
      message: "Sending to Guernsey (GG) is not allowed by this integration's geo permissions.",
    });
  });
});

function base(credentialId: string) {
  return {
    name: "another",
    system_type: "twilio" as const,
    credential_id: credentialId,
    allowed_operations: [],
    allowed_countries: [],
    sends_per_destination: 3,
    checks_per_destination: 5,
    destination_window_seconds: 600,
    key_burst: 20,
    key_rate_per_second: 5,
    enabled: true,
  };
}

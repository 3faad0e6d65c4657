import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credentials, integrations, proxiedMessages } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/features/api-keys/service";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { systemActing } from "@/lib/platform/request-context/acting";
import { newId } from "@/lib/shared/ids";
import { createTestTenant } from "@/test/factories";
import { onboardingProgress } from "./queries";

const NONE = { credential: false, integration: false, apiKey: false, firstSend: false };

async function addCredential(tenantId: string, type: string) {
  const id = newId("credential");
  await getDb().insert(credentials).values({ id, tenantId, name: type, type, currentVersion: 1 });
  return id;
}

async function addIntegration(tenantId: string) {
  const credentialId = await addCredential(tenantId, "basic_auth");
  await getDb()
    .insert(integrations)
    .values({ id: newId("integration"), tenantId, name: "sms", systemType: "sms", credentialId });
}

const audit = (tenantId: string, outcome: "succeeded" | "failed", action = "proxy.send_sms") =>
  getDb().transaction((tx) =>
    recordAudit(tx, systemActing(tenantId), { action: action as never, outcome, details: {} }),
  );

describe("onboarding progress", () => {
  it("ticks each step off from the tenant's own rows only", async () => {
    const a = (await createTestTenant()).id;
    const b = (await createTestTenant()).id;
    // Tenant B has done everything: none of it counts for A.
    await addIntegration(b);
    await createApiKey(systemActing(b), { name: "k", environment: "live", scopes: ["audit:read"] });
    await audit(b, "succeeded");
    expect(await onboardingProgress(b)).toEqual({
      credential: true,
      integration: true,
      apiKey: true,
      firstSend: true,
    });
    expect(await onboardingProgress(a)).toEqual(NONE);

    // A webhook signing secret is not a Twilio credential to call Twilio with.
    await addCredential(a, "webhook_secret");
    expect((await onboardingProgress(a)).credential).toBe(false);
    await addCredential(a, "api_key");
    expect(await onboardingProgress(a)).toEqual({ ...NONE, credential: true });

    await addIntegration(a);
    expect((await onboardingProgress(a)).integration).toBe(true);

    // A revoked key is no key to call with.
    const key = await createApiKey(systemActing(a), {
      name: "k",
      environment: "test",
      scopes: ["proxy"],
    });
    expect((await onboardingProgress(a)).apiKey).toBe(true);
    await revokeApiKey(systemActing(a), { keyId: key.id });
    expect((await onboardingProgress(a)).apiKey).toBe(false);
    await createApiKey(systemActing(a), { name: "k2", environment: "live", scopes: ["proxy"] });

    // A failed send, or an operation that sends nothing, is not a first send; a verification
    // (an integration may allow Verify alone) is.
    await audit(a, "failed");
    await audit(a, "succeeded", "proxy.list_messages");
    expect((await onboardingProgress(a)).firstSend).toBe(false);
    await audit(a, "succeeded", "proxy.create_verification");
    expect(await onboardingProgress(a)).toEqual({
      credential: true,
      integration: true,
      apiKey: true,
      firstSend: true,
    });
  });

  it("counts a tracked message even when its audit event is gone", async () => {
    const c = (await createTestTenant()).id;
    await getDb()
      .insert(proxiedMessages)
      .values({
        sid: `SM${newId("request").slice(-32)}`,
        tenantId: c,
        integrationId: "int_x",
        status: "sent",
      });
    expect((await onboardingProgress(c)).firstSend).toBe(true);
    await getDb().delete(proxiedMessages).where(eq(proxiedMessages.tenantId, c));
    expect((await onboardingProgress(c)).firstSend).toBe(false);
  });
});

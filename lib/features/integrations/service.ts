import "server-only";
import { maskPhone } from "@/lib/shared/phone";
import { integrationJson } from "./queries";
import { and, eq, or } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { credentials, integrations, type Integration } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError, notFound } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import type { Acting } from "@/lib/platform/request-context/acting";
import { assertForwardUrl } from "@/lib/platform/http/ssrf";
import { VERIFY_OPERATIONS, type CreateIntegration, type UpdateIntegration } from "./schemas";

const COLUMNS = {
  name: "name",
  credential_id: "credentialId",
  webhook_credential_id: "webhookCredentialId",
  allowed_operations: "allowedOperations",
  verify_service_sid: "verifyServiceSid",
  default_from: "defaultFrom",
  messaging_service_sid: "messagingServiceSid",
  allowed_countries: "allowedCountries",
  sends_per_destination: "sendsPerDestination",
  checks_per_destination: "checksPerDestination",
  destination_window_seconds: "destinationWindowSeconds",
  key_burst: "keyBurst",
  key_rate_per_second: "keyRatePerSecond",
  end_user_ip_sends: "endUserIpSends",
  end_user_id_checks: "endUserIdChecks",
  end_user_window_seconds: "endUserWindowSeconds",
  require_end_user: "requireEndUser",
  line_type_check: "lineTypeCheck",
  voip_policy: "voipPolicy",
  line_type_cache_hours: "lineTypeCacheHours",
  pumping_action: "pumpingAction",
  pumping_min_volume: "pumpingMinVolume",
  pumping_min_conversion: "pumpingMinConversion",
  pumping_window_seconds: "pumpingWindowSeconds",
  fallback_after_seconds: "fallbackAfterSeconds",
  forward_url: "forwardUrl",
  enabled: "enabled",
} as const satisfies Record<keyof UpdateIntegration, keyof Integration>;

/** Both referenced credentials must be this tenant's and of the right type. */
async function checkCredentials(
  tx: Tx,
  tenantId: string,
  credentialId: string | undefined,
  webhookCredentialId: string | null | undefined,
) {
  const ids = [credentialId, webhookCredentialId].filter((v): v is string => !!v);
  if (ids.length === 0) return;
  const rows = await tx
    .select({ id: credentials.id, type: credentials.type })
    .from(credentials)
    .where(and(eq(credentials.tenantId, tenantId), or(...ids.map((id) => eq(credentials.id, id)))));
  const typeOf = new Map(rows.map((r) => [r.id, r.type]));
  if (credentialId) {
    const type = typeOf.get(credentialId);
    if (type !== "basic_auth" && type !== "api_key") {
      throw new AppError(
        "invalid_input",
        type
          ? `credential_id must be a basic_auth or api_key credential, not ${type}.`
          : "credential_id does not name a credential of this tenant.",
        { fieldErrors: { credential_id: ["Choose a basic_auth or api_key credential."] } },
      );
    }
  }
  // Twilio signs webhooks with the account's Auth Token: a webhook_secret holding it, or the
  // basic_auth credential (Account SID + Auth Token) itself. An API key's secret signs nothing.
  const webhookType = webhookCredentialId ? typeOf.get(webhookCredentialId) : undefined;
  if (webhookCredentialId && webhookType !== "webhook_secret" && webhookType !== "basic_auth") {
    throw new AppError(
      "invalid_input",
      webhookType === "api_key"
        ? "webhook_credential_id cannot be an api_key credential: Twilio signs webhooks with the Auth Token, not with API key secrets."
        : "webhook_credential_id must name a webhook_secret or basic_auth credential of this tenant.",
      {
        fieldErrors: {
          webhook_credential_id: [
            webhookType === "api_key"
              ? "An api_key credential cannot check webhooks: choose a webhook_secret or basic_auth credential (the Auth Token)."
              : "Choose a webhook_secret or basic_auth credential.",
          ],
        },
      },
    );
  }
}

/**
 * An integration allowing a Verify operation names its Verify service (the proxy would refuse
 * every such call otherwise): refused with a field error on verify_service_sid.
 */
function assertVerifyService(operations: readonly string[], verifyServiceSid: string | null) {
  const verify = VERIFY_OPERATIONS.filter((op) => operations.includes(op));
  if (verify.length === 0 || verifyServiceSid) return;
  throw new AppError(
    "invalid_input",
    `verify_service_sid is required: the integration allows ${verify.join(", ")}, which Twilio Verify answers.`,
    {
      fieldErrors: {
        verify_service_sid: [
          "Enter the Verify service SID (VA…) from the Twilio Console: the allowed Verify operations need it.",
        ],
      },
      remediation: "Set verify_service_sid, or stop allowing the Verify operations.",
    },
  );
}

export async function createIntegration(acting: Acting, input: CreateIntegration) {
  assertForwardUrl(input.forward_url, "forward_url");
  assertVerifyService(input.allowed_operations, input.verify_service_sid ?? null);
  const id = newId("integration");
  const row = await getDb().transaction(async (tx) => {
    await checkCredentials(tx, acting.tenantId, input.credential_id, input.webhook_credential_id);
    const [created] = await tx
      .insert(integrations)
      .values({
        id,
        tenantId: acting.tenantId,
        name: input.name,
        systemType: input.system_type,
        credentialId: input.credential_id,
        webhookCredentialId: input.webhook_credential_id ?? null,
        allowedOperations: input.allowed_operations,
        verifyServiceSid: input.verify_service_sid ?? null,
        defaultFrom: input.default_from ?? null,
        messagingServiceSid: input.messaging_service_sid ?? null,
        allowedCountries: input.allowed_countries,
        sendsPerDestination: input.sends_per_destination,
        checksPerDestination: input.checks_per_destination,
        destinationWindowSeconds: input.destination_window_seconds,
        keyBurst: input.key_burst,
        keyRatePerSecond: input.key_rate_per_second,
        endUserIpSends: input.end_user_ip_sends,
        endUserIdChecks: input.end_user_id_checks,
        endUserWindowSeconds: input.end_user_window_seconds,
        requireEndUser: input.require_end_user,
        lineTypeCheck: input.line_type_check,
        voipPolicy: input.voip_policy,
        lineTypeCacheHours: input.line_type_cache_hours,
        pumpingAction: input.pumping_action,
        pumpingMinVolume: input.pumping_min_volume,
        pumpingMinConversion: input.pumping_min_conversion,
        pumpingWindowSeconds: input.pumping_window_seconds,
        fallbackAfterSeconds: input.fallback_after_seconds,
        forwardUrl: input.forward_url ?? null,
        enabled: input.enabled,
      })
      .returning();
    if (!created) throw new Error("integration insert returned nothing");
    const { created_at: _c, updated_at: _u, id: _i, ...fields } = integrationJson(created);
    await recordAudit(tx, acting, {
      action: "integration.created",
      outcome: "succeeded",
      target: { type: "integration", id },
      integrationId: id,
      details: { fields: redactNumbers(fields) },
    });
    return created;
  });
  return integrationJson(row);
}

/** The default sender is a phone number: audit details carry only its last two digits. */
function redactNumbers<T extends { default_from?: string | null }>(fields: T) {
  return fields.default_from ? { ...fields, default_from: maskPhone(fields.default_from) } : fields;
}

export async function updateIntegration(acting: Acting, id: string, input: UpdateIntegration) {
  assertForwardUrl(input.forward_url, "forward_url");
  const row = await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(integrations)
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, id)))
      .for("update");
    if (!before) throw notFound("Integration");
    // Checked when the change touches either (so disabling an older integration still works).
    if (input.allowed_operations !== undefined || input.verify_service_sid !== undefined) {
      assertVerifyService(
        input.allowed_operations ?? before.allowedOperations,
        input.verify_service_sid !== undefined ? input.verify_service_sid : before.verifyServiceSid,
      );
    }
    await checkCredentials(tx, acting.tenantId, input.credential_id, input.webhook_credential_id);
    const set: Partial<Integration> = {};
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    const old = integrationJson(before);
    for (const [field, column] of Object.entries(COLUMNS) as [
      keyof UpdateIntegration,
      keyof Integration,
    ][]) {
      const value = input[field];
      if (value === undefined) continue;
      if (JSON.stringify(old[field]) === JSON.stringify(value)) continue;
      (set as Record<string, unknown>)[column] = value;
      diff[field] = { from: old[field], to: value };
    }
    if (Object.keys(set).length === 0) return before;
    const [after] = await tx
      .update(integrations)
      .set({ ...set, updatedAt: new Date() })
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, id)))
      .returning();
    if (!after) throw notFound("Integration");
    if (diff.default_from) {
      const last2 = (v: unknown) => (typeof v === "string" ? maskPhone(v) : v);
      diff.default_from = { from: last2(diff.default_from.from), to: last2(diff.default_from.to) };
    }
    await recordAudit(tx, acting, {
      action: "integration.updated",
      outcome: "succeeded",
      target: { type: "integration", id },
      integrationId: id,
      details: { diff },
    });
    return after;
  });
  return integrationJson(row);
}

export async function deleteIntegration(acting: Acting, id: string) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .delete(integrations)
      .where(and(eq(integrations.tenantId, acting.tenantId), eq(integrations.id, id)))
      .returning({ id: integrations.id, name: integrations.name });
    if (!row) throw notFound("Integration");
    await recordAudit(tx, acting, {
      action: "integration.deleted",
      outcome: "succeeded",
      target: { type: "integration", id },
      integrationId: id,
      details: { name: row.name },
    });
  });
}

import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as webhookRoute } from "@/app/api/v2/webhooks/twilio/[integrationId]/[kind]/route";
import { getDb, rowsOf } from "@/db";
import { tenants } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import { createStream } from "@/lib/features/audit-streams/service";
import { configureForwarding } from "@/lib/features/webhooks/forward";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { clearKeyCache, currentTenantKey, rotateTenantKey } from "@/lib/platform/keys/tenant-keys";
import { rewrapTenant } from "@/lib/platform/sealing/rewrap-tenant";
import { SEALED_COLUMNS, type SealedRow } from "@/lib/platform/sealing/sealed-columns";
import { openForTenant } from "@/lib/platform/sealing/store";
import { generateClientKeyPair } from "@/lib/shared/sdk/index";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, proxySetup, TOKEN } from "@/test/proxy-setup";
import { mockAwsKms } from "@/test/aws-kms-double";
import { webhookIntegration } from "@/test/webhook-setup";

vi.hoisted(() => {
  // The forward URL below is on localhost, which production mode refuses (SSRF guard).
  process.env.PQSEAL_DEPLOYMENT_MODE = "development";
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

const HOOK_SECRET = "rewrapWebhookSigningSecret000001";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/rewrap-test";

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN }],
  });
});
afterAll(() => double.close());

/** Every stored sealed value of the tenant, per sealed column (paged as the job pages). */
async function sealedRows(tenantId: string) {
  const out: Record<string, SealedRow[]> = {};
  for (const column of SEALED_COLUMNS) {
    const rows: SealedRow[] = [];
    let cursor: string | null = null;
    do {
      const page = await getDb().transaction((tx) => column.page(tx, tenantId, cursor, 2));
      rows.push(...page.rows);
      cursor = page.next;
    } while (cursor !== null);
    out[column.name] = rows;
  }
  return out;
}

/** A tenant with a value in every sealed column: credential, webhook, idempotent result, forwarding secrets. */
async function tenantWithEverySealedValue() {
  const s = await proxySetup((user) => (session.user = user));
  const sent = await s.client.proxy.outbound(
    {
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: "+14155550123", body: "hi" },
    },
    { idempotencyKey: "rewrap-test-1" },
  );
  expect(sent.success).toBe(true);
  const { integration } = await webhookIntegration(s.ctx, {
    secret: HOOK_SECRET,
    forwardUrl: "http://127.0.0.1:9/hook",
  });
  const pair = generateClientKeyPair();
  const receiver = await createApiKey(s.ctx, {
    name: "receiver",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: pair.publicKey,
  });
  await configureForwarding(s.ctx, integration.id, receiver.clientKeyId ?? "");
  // Regenerated: the previous secret stays sealed (and signing) through its grace.
  await configureForwarding(s.ctx, integration.id, receiver.clientKeyId ?? "");
  const target = `http://localhost/api/v2/webhooks/twilio/${integration.id}/message-status`;
  const params = { MessageSid: `SM${"4e".repeat(16)}`, MessageStatus: "delivered" };
  const res = await webhookRoute(
    new NextRequest(target, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilio.getExpectedTwilioSignature(HOOK_SECRET, target, params),
      },
      body: new URLSearchParams(params).toString(),
    }),
    { params: Promise.resolve({ integrationId: integration.id, kind: "message-status" }) },
  );
  expect(res.status).toBe(200);
  // An audit stream's secret (nothing sends in this test: no job runs here).
  await createStream(s.ctx, {
    kind: "webhook",
    name: "rewrap",
    startFrom: "now",
    url: "http://127.0.0.1:9/audit",
  });
  return s;
}

describe("re-wrap job", () => {
  it("moves every sealed column to the new vault key and the new KMS, and all of them open", async () => {
    const s = await tenantWithEverySealedValue();
    const before = await sealedRows(s.tenantId);
    const v1 = await currentTenantKey(s.tenantId, "vault");
    for (const column of SEALED_COLUMNS) {
      expect(before[column.name], column.name).not.toHaveLength(0);
      for (const row of before[column.name] ?? []) {
        expect(row.value.vaultKeyId).toBe(v1.id);
        expect(row.value.sealed.startsWith("aws1.")).toBe(false);
      }
    }

    const { kms } = mockAwsKms();
    try {
      const v2 = await rotateTenantKey(s.ctx, "vault");
      await getDb()
        .update(tenants)
        .set({ kmsProvider: "aws-kms", kmsKeyArn: KEY_ARN })
        .where(eq(tenants.id, s.tenantId));
      // Batches of 1: every column is moved across several transactions.
      const summary = await rewrapTenant(s.ctx, { batch: 1 });
      const total = Object.values(before).reduce((n, rows) => n + rows.length, 0);
      expect(summary).toMatchObject({
        kms_provider: "aws-kms",
        vault_key_id: v2.id,
        sealed_values_rewrapped: total,
        sealed_values_resealed: total,
      });

      clearKeyCache();
      const after = await sealedRows(s.tenantId);
      const column = (name: string) => SEALED_COLUMNS.find((c) => c.name === name);
      for (const [name, rows] of Object.entries(after)) {
        expect(rows, name).toHaveLength(before[name]?.length ?? -1);
        for (const row of rows) {
          // Under the new vault key, wrapped by the new provider, and still opening.
          expect(row.value.vaultKeyId, name).toBe(v2.id);
          expect(row.value.sealed.startsWith("aws1.eu-west-1."), name).toBe(true);
          const purpose = column(name)?.purpose ?? "credential";
          const opened = await openForTenant(purpose, row.binding, row.value);
          expect(Object.keys(opened).length, name).toBeGreaterThan(0);
        }
      }
      // The key seeds moved to the new provider too.
      const seeds = rowsOf<{ wrapped_secret: string }>(
        await getDb().execute(
          sql`select wrapped_secret from tenant_signing_keys where tenant_id = ${s.tenantId}
              union all select wrapped_secret from tenant_vault_keys where tenant_id = ${s.tenantId}`,
        ),
      );
      expect(seeds.length).toBeGreaterThanOrEqual(3);
      for (const seed of seeds) expect(seed.wrapped_secret.startsWith("aws1.")).toBe(true);
      // Through the product too: a replay of the idempotent send still answers.
      const again = await s.client.proxy.outbound(
        {
          integration_id: s.integration.id,
          operation: "send_sms",
          payload: { to: "+14155550123", body: "hi" },
        },
        { idempotencyKey: "rewrap-test-1" },
      );
      expect(again.success).toBe(true);
    } finally {
      kms.restore();
      clearKeyCache();
    }
  });

  it("knows every sealed column the schema has", async () => {
    // A sealed column missing from SEALED_COLUMNS would be left behind by the re-wrap job.
    const columns = rowsOf<{ name: string }>(
      await getDb().execute(
        sql`select table_name || '.' || column_name as name from information_schema.columns
            where table_schema = 'public' and column_name like '%sealed%' order by 1`,
      ),
    ).map((r) => r.name);
    expect(columns).toEqual(SEALED_COLUMNS.map((c) => c.name).sort());
  });
});

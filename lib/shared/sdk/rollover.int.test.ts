import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { NextRequest, NextResponse } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as keysRoute } from "@/app/api/v2/keys/route";
import { getDb } from "@/db";
import { signingKeyFetches, tenantSigningKeys } from "@/db/schema";
import { createApiKey } from "@/lib/features/api-keys/service";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import {
  buildEnvelope,
  envelopeRequestId,
  recipientFor,
} from "@/lib/platform/crypto/build-envelope";
import { wrapForTenant } from "@/lib/platform/kms/kms";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import {
  clearKeyCache,
  currentTenantKey,
  fingerprintOf,
  rotateTenantKey,
} from "@/lib/platform/keys/tenant-keys";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { toB64 } from "@/lib/shared/crypto/bytes";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { newId } from "@/lib/shared/ids";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { createClient, EnvelopeError, generateClientKeyPair, KeyNotTrustedError } from "./index";
import { endorsementMessage } from "./key-chain";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

// Stand-in for the proxy route: answers with an envelope built by the server's own code, so the
// signer is whatever build-envelope chooses at that moment.
const echoRoute = withApiKey("proxy", async (request, ctx) => {
  const envelope = await buildEnvelope(ctx, {
    recipient: await recipientFor(ctx),
    requestId: envelopeRequestId(request.headers, ctx.requestId),
    auditEventId: null,
    success: true,
    payload: { data: { sent: true } },
  });
  return NextResponse.json(envelope);
});

type Envelope = { signature: { signing_key_id: string } };

async function setup() {
  const t = await createTestTenant();
  const u = await createTestUser("rollover");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "keys:write");
  const pair = generateClientKeyPair();
  const key = await createApiKey(ctx, {
    name: "old laptop",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: pair.publicKey,
  });
  const first = await currentTenantKey(t.id, "signing");
  let last: unknown;
  const keyFetches: string[] = [];
  // The client's network: GET /api/v2/keys and the (stand-in) proxy route, in process.
  const fetchThroughRoutes = (async (url: string, init: RequestInit) => {
    const request = new NextRequest(url, init as never);
    if (request.nextUrl.pathname === "/api/v2/keys") {
      keyFetches.push(url);
      return keysRoute(request);
    }
    const res = await echoRoute(request);
    last = await res.clone().json();
    return res;
  }) as typeof fetch;
  // What the credentials file downloaded before any rotation pins: the first key only.
  const credentialsFile = {
    baseUrl: "http://localhost",
    tenantId: t.id,
    apiKey: key.key,
    clientKeyId: key.clientKeyId ?? "",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: { [first.id]: first.publicKey },
    fetch: fetchThroughRoutes,
  };
  const signer = () => (last as Envelope).signature.signing_key_id;
  const lastBody = () => last;
  return { t, ctx, apiKeyId: key.id, first, credentialsFile, signer, keyFetches, lastBody };
}

const send = (client: ReturnType<typeof createClient>) =>
  client.proxy.outbound({ integration_id: "int_x", operation: "send_sms", payload: {} });

/** Moves this process's clock (Date only) past `at`; the current-key cache forgets the signer. */
function travelTo(at: Date) {
  vi.setSystemTime(at.getTime() + 1000);
  clearKeyCache();
}

/**
 * A signing key row as a stolen database write would add it (its seed wrapped like the rest),
 * signing from now on: `endorsement` given as is, or made with `endorserSecret`.
 */
async function insertKey(
  tenantId: string,
  endorsedBy: string | null,
  endorsement: { signature: string } | { endorserSecret: Uint8Array } | null,
) {
  const seed = new Uint8Array(randomBytes(32));
  const { publicKey, secretKey } = nobleBackend.dsaKeygen(seed);
  const [row] = await getDb()
    .select({ max: sql<number>`max(${tenantSigningKeys.version})` })
    .from(tenantSigningKeys)
    .where(eq(tenantSigningKeys.tenantId, tenantId));
  const id = newId("signingKey");
  const version = Number(row?.max ?? 0) + 1;
  const activatesAt = new Date();
  const message = endorsementMessage({
    tenantId,
    keyId: id,
    version,
    publicKey,
    activatesAt: activatesAt.toISOString(),
    endorsedBy: endorsedBy ?? "",
  });
  await getDb()
    .insert(tenantSigningKeys)
    .values({
      id,
      tenantId,
      version,
      algorithm: "ML-DSA-65",
      publicKey: toB64(publicKey),
      fingerprint: fingerprintOf(publicKey),
      wrappedSecret: await wrapForTenant(getDb(), tenantId, KMS_PURPOSES.signingKeySeed, seed),
      endorsedBy,
      endorsement:
        endorsement === null
          ? null
          : "signature" in endorsement
            ? endorsement.signature
            : toB64(nobleBackend.dsaSign(message, endorsement.endorserSecret)),
      activatesAt,
    });
  clearKeyCache();
  return { id, version, publicKey, secretKey, activatesAt };
}

describe("signing-key rollover (ENVELOPE.md §9.1)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date());
  });
  afterEach(() => {
    vi.useRealTimers();
    clearKeyCache();
  });

  it("keeps an old credentials file (first key pinned) working across two rotations", async () => {
    const { t, ctx, apiKeyId, first, credentialsFile, signer, keyFetches } = await setup();
    const old = createClient(credentialsFile);
    expect((await send(old)).success).toBe(true);
    expect(signer()).toBe(first.id);

    // Rotation 1, the default switch-over (24 h): published and endorsed, not yet signing.
    const second = await rotateTenantKey(ctx, "signing");
    expect(second.endorsedBy).toBe(first.id);
    expect(second.activatesAt?.getTime()).toBe(Date.now() + 24 * 3600_000);
    expect((await send(old)).success).toBe(true);
    expect(signer()).toBe(first.id);
    expect(keyFetches).toHaveLength(0);

    travelTo(second.activatesAt ?? new Date(0));
    expect((await send(old)).success).toBe(true);
    expect(signer()).toBe(second.id);
    expect(keyFetches).toHaveLength(1);
    expect(old.keys.trusted().sort()).toEqual([first.id, second.id].sort());

    // Rotation 2 with the action's own delay (2 h); the chain is now first -> second -> third.
    const third = await rotateTenantKey(ctx, "signing", { switchoverHours: 2 });
    expect(third.endorsedBy).toBe(second.id);
    expect((await send(old)).success).toBe(true);
    expect(signer()).toBe(second.id);

    travelTo(third.activatesAt ?? new Date(0));
    expect((await send(old)).success).toBe(true);
    expect(signer()).toBe(third.id);
    // A new process with the same old file follows the whole chain in one fetch.
    const fresh = createClient(credentialsFile);
    expect((await send(fresh)).success).toBe(true);
    expect(fresh.keys.trusted()).toHaveLength(3);

    // The console can tell which API keys saw which signing keys.
    const fetched = await getDb()
      .select()
      .from(signingKeyFetches)
      .where(and(eq(signingKeyFetches.tenantId, t.id), eq(signingKeyFetches.apiKeyId, apiKeyId)));
    expect(fetched.map((f) => f.signingKeyId).sort()).toEqual(
      [first.id, second.id, third.id].sort(),
    );
  });

  it("refuses, with a typed error, envelopes signed by a key no trusted key endorsed", async () => {
    const { t, ctx, first, credentialsFile, signer } = await setup();
    const second = await rotateTenantKey(ctx, "signing", { switchoverHours: 0 });
    const [genuine] = await getDb()
      .select()
      .from(tenantSigningKeys)
      .where(and(eq(tenantSigningKeys.tenantId, t.id), eq(tenantSigningKeys.id, second.id)));

    const refusal = async (expectedSigner: string) => {
      const client = createClient(credentialsFile);
      const error = await send(client).then(
        () => null,
        (e: unknown) => e,
      );
      expect(signer()).toBe(expectedSigner);
      expect(error).toBeInstanceOf(EnvelopeError);
      expect(client.keys.trusted()).not.toContain(expectedSigner);
      return error as EnvelopeError;
    };

    // 1. A row without any endorsement.
    const bare = await insertKey(t.id, null, null);
    const e1 = await refusal(bare.id);
    expect(e1.code).toBe("key_not_endorsed");
    expect(e1.message).toContain(bare.id);
    expect(e1.remediation).toMatch(/fingerprint/);

    // 2. Endorsed, with a valid signature, by that untrusted key.
    const chained = await insertKey(t.id, bare.id, { endorserSecret: bare.secretKey });
    expect((await refusal(chained.id)).code).toBe("key_not_endorsed");

    // 3. Claims the trusted first key, with the endorsement it gave another key, copied.
    const copied = await insertKey(t.id, first.id, { signature: genuine?.endorsement ?? "" });
    expect((await refusal(copied.id)).code).toBe("key_not_endorsed");

    // 4. The genuine second key, its activation moved in the database: its endorsement fails.
    await getDb().execute(
      sql`delete from tenant_signing_keys where tenant_id = ${t.id} and version > 2`,
    );
    await getDb()
      .update(tenantSigningKeys)
      .set({ activatesAt: new Date(Date.now() - 60_000) })
      .where(and(eq(tenantSigningKeys.tenantId, t.id), eq(tenantSigningKeys.id, second.id)));
    clearKeyCache();
    expect((await refusal(second.id)).code).toBe("key_not_endorsed");
  });

  it("names a key it has not seen as unknown_signing_key, and an unchained one key_not_endorsed", async () => {
    const { ctx, credentialsFile, signer, lastBody } = await setup();
    // Nothing pinned: the published first key leads nowhere it trusts.
    const pinnedNothing = createClient({ ...credentialsFile, signingPublicKeys: {} });
    const error = await send(pinnedNothing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyNotTrustedError);
    expect(error).toMatchObject({ name: "KeyNotTrustedError", code: "key_not_endorsed" });
    // The synchronous decrypt never fetches keys: a key it has not seen is unknown to it.
    const second = await rotateTenantKey(ctx, "signing", { switchoverHours: 0 });
    await send(createClient(credentialsFile));
    expect(signer()).toBe(second.id);
    const offline = createClient(credentialsFile);
    let thrown: unknown;
    try {
      offline.encryption.decrypt(lastBody());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(KeyNotTrustedError);
    expect(thrown).toBeInstanceOf(EnvelopeError);
    expect(thrown).toMatchObject({ code: "unknown_signing_key", signingKeyId: second.id });
    // After refreshing, the same envelope opens.
    await offline.keys.refresh();
    expect(offline.encryption.decrypt(lastBody())).toEqual({ data: { sent: true } });
  });
});

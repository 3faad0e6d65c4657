import { NextRequest, NextResponse } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/lib/features/api-keys/service";
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import {
  buildEnvelope,
  envelopeRequestId,
  recipientFor,
} from "@/lib/platform/crypto/build-envelope";
import { currentTenantKey, rotateTenantKey } from "@/lib/platform/keys/tenant-keys";
import { resolveTenant } from "@/lib/platform/request-context/resolve-tenant";
import { addMember, createTestTenant, createTestUser, testSession } from "@/test/factories";
import { createClient, EnvelopeError, generateClientKeyPair, type PqsealApiError } from "./index";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

// A stand-in for the proxy route: answers any request with an envelope built by the server code.
const echoRoute = withApiKey("proxy", async (request, ctx) => {
  const recipient = await recipientFor(ctx);
  const envelope = await buildEnvelope(ctx, {
    recipient,
    requestId: envelopeRequestId(request.headers, ctx.requestId),
    auditEventId: null,
    success: true,
    payload: { data: { echo: (await request.json()) as unknown } },
  });
  return NextResponse.json(envelope);
});

async function setup() {
  const t = await createTestTenant();
  const u = await createTestUser("sdk");
  await addMember(t.id, u.id, "admin");
  session.user = testSession(u, "ses_x");
  const ctx = await resolveTenant(t.id, "keys:write");
  const pair = generateClientKeyPair();
  const key = await createApiKey(ctx, {
    name: "sdk",
    environment: "test",
    scopes: ["proxy"],
    clientPublicKey: pair.publicKey,
  });
  const signing = await currentTenantKey(t.id, "signing");
  let last: unknown;
  const fetchThroughRoute = (async (url: string, init: RequestInit) => {
    const res = await echoRoute(new NextRequest(url, init as never));
    last = await res.clone().json();
    return res;
  }) as typeof fetch;
  const options = {
    baseUrl: "http://localhost",
    tenantId: t.id,
    apiKey: key.key,
    clientKeyId: key.clientKeyId ?? "",
    clientSecretKey: pair.secretKey,
    signingPublicKeys: { [signing.id]: signing.publicKey },
    fetch: fetchThroughRoute,
  };
  return { t, ctx, key, pair, signing, options, lastBody: () => last };
}

describe("client SDK", () => {
  it("calls the server, verifies both signatures and decrypts", async () => {
    const { options } = await setup();
    const client = createClient(options);
    const result = await client.proxy.outbound({
      integration_id: "int_x",
      operation: "send_sms",
      payload: { body: "hi" },
    });
    expect(result.success).toBe(true);
    expect(result.request_id).toMatch(/^cli_[0-9a-f]{32}$/);
    expect(result.result).toEqual({
      data: { echo: { integration_id: "int_x", operation: "send_sms", payload: { body: "hi" } } },
    });
  });

  it("rejects with one generic error: wrong API key, wrong client key, unpinned signer, replay", async () => {
    const { options, lastBody } = await setup();
    await createClient(options).proxy.outbound({
      integration_id: "i",
      operation: "o",
      payload: {},
    });
    const envelope = lastBody();
    const other = generateClientKeyPair();
    const variants = {
      // the last character changed (to Y when it already is Z: a 1-in-62 flake otherwise)
      "wrong API key (HMAC)": {
        apiKey: `${options.apiKey.slice(0, -1)}${options.apiKey.endsWith("Z") ? "Y" : "Z"}`,
      },
      "wrong client secret key": { clientSecretKey: other.secretKey },
      "other tenant": { tenantId: "ten_01JOTHER000000000000000000" },
      "unpinned signing key": { signingPublicKeys: {} },
    };
    for (const [name, change] of Object.entries(variants)) {
      const client = createClient({ ...options, ...change });
      expect(() => client.encryption.decrypt(envelope), name).toThrow(EnvelopeError);
    }
    const client = createClient(options);
    expect(client.encryption.decrypt(envelope)).toBeTruthy();
    expect(() => client.encryption.decrypt(envelope), "replayed").toThrow(EnvelopeError);
  });

  it("keeps verifying envelopes signed before a signing key rotation", async () => {
    const { ctx, options, lastBody, signing } = await setup();
    await createClient(options).proxy.outbound({
      integration_id: "i",
      operation: "o",
      payload: {},
    });
    const before = lastBody();
    // Switch-over at once (the default delay is covered by rollover.int.test.ts).
    const next = await rotateTenantKey(ctx, "signing", { switchoverHours: 0 });
    const pinnedBoth = {
      ...options,
      signingPublicKeys: { [signing.id]: signing.publicKey, [next.id]: next.publicKey },
    };
    const client = createClient(pinnedBoth);
    expect(client.encryption.decrypt(before)).toBeTruthy();
    const after = await client.proxy.outbound({ integration_id: "i", operation: "o", payload: {} });
    expect(after.success).toBe(true);
    expect((lastBody() as { signature: { signing_key_id: string } }).signature.signing_key_id).toBe(
      next.id,
    );
  });

  it("reports refusals without an envelope as PqsealApiError", async () => {
    const { options } = await setup();
    const client = createClient({ ...options, apiKey: "qs_test_unknownkey" });
    await expect(
      client.proxy.outbound({ integration_id: "i", operation: "o", payload: {} }),
    ).rejects.toMatchObject({
      status: 401,
      code: "unauthenticated",
    } satisfies Partial<PqsealApiError>);
  });
});

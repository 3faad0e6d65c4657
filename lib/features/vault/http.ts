import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { parseInput } from "@/lib/platform/http/parse-input";
import { readJson } from "@/lib/platform/http/read-json";
import { pageBody, parsePageQuery } from "@/lib/platform/http/pagination";
import { signingKeyState } from "@/lib/platform/keys/signing-keys";
import { checkTwilioCredential as check } from "./check-credential";
import { deleteCredential, publicKeysFor, rotateCredential, sealCredential } from "./service";
import { pageCredentials } from "./queries";
import { rotateRequestSchema, sealRequestSchema } from "./schemas";

// POST /api/v2/vault/seal: basic_auth and api_key values are tried against Twilio first.
export async function sealResponse(request: NextRequest, ctx: ApiKeyContext) {
  const body = parseInput(sealRequestSchema, await readJson(request));
  const credential = await sealCredential(
    ctx,
    {
      type: body.credential_type,
      name: body.name,
      values: body.values,
      graceSeconds: body.grace_seconds,
    },
    { check },
  );
  return NextResponse.json({ credential }, { status: 201 });
}

// GET /api/v2/vault/credentials?limit=&cursor= – newest first, paginated
export async function listResponse(request: NextRequest, ctx: ApiKeyContext) {
  const page = await pageCredentials(ctx.tenantId, parsePageQuery(request.nextUrl));
  return NextResponse.json(pageBody("credentials", page));
}

// POST /api/v2/vault/credentials/{id}/rotate
export async function rotateResponse(request: NextRequest, ctx: ApiKeyContext, id: string) {
  const body = parseInput(rotateRequestSchema, await readJson(request));
  const credential = await rotateCredential(
    ctx,
    id,
    { values: body.values, graceSeconds: body.grace_seconds },
    { check },
  );
  return NextResponse.json({ credential });
}

// DELETE /api/v2/vault/credentials/{id}
export async function deleteResponse(_request: NextRequest, ctx: ApiKeyContext, id: string) {
  await deleteCredential(ctx, id);
  return new NextResponse(null, { status: 204 });
}

// GET /api/v2/keys: the tenant's public keys, for pinning and for following a signing-key
// rollover (ENVELOPE.md §9.1); notes which signing keys this API key was shown.
export async function keysResponse(_request: NextRequest, ctx: ApiKeyContext) {
  const { signing, vault, client } = await publicKeysFor(ctx);
  const now = new Date();
  const publicKey = (k: (typeof signing)[number]) => ({
    id: k.id,
    algorithm: k.algorithm,
    version: k.version,
    public_key: k.publicKey,
    fingerprint_sha256: k.fingerprint,
    created_at: k.createdAt.toISOString(),
    retired_at: k.retiredAt?.toISOString() ?? null,
  });
  return NextResponse.json({
    tenant_id: ctx.tenantId,
    signing_keys: signing.map((k) => ({
      ...publicKey(k),
      activates_at: k.activatesAt?.toISOString() ?? null,
      endorsed_by: k.endorsedBy,
      endorsement: k.endorsement,
      current: signingKeyState(k, now) === "signing",
    })),
    vault_keys: vault.map((k) => ({ ...publicKey(k), current: k.retiredAt === null })),
    client_key: client
      ? { id: client.id, algorithm: client.algorithm, fingerprint_sha256: client.fingerprint }
      : null,
  });
}

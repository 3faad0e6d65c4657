import "server-only";
import { runOutbound } from "./service";
import { NextResponse, type NextRequest } from "next/server";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { envelopeRequestId, recipientFor } from "@/lib/platform/crypto/build-envelope";
import { env } from "@/lib/platform/config/env";
import { admission } from "@/lib/platform/http/admission";
import { readJson } from "@/lib/platform/http/read-json";
import { idempotencyKeyFrom } from "./idempotency";

// Requests beyond PROXY_MAX_IN_FLIGHT are refused at once (503 overloaded), before any work.
const proxyAdmission = admission("proxy", () => env().PROXY_MAX_IN_FLIGHT);

/** POST /api/v2/proxy/outbound */
export async function outboundResponse(request: NextRequest, ctx: ApiKeyContext) {
  const outcome = await proxyAdmission.run(async () =>
    runOutbound(await readJson(request), ctx, {
      requestId: envelopeRequestId(request.headers, ctx.requestId),
      idempotencyKey: idempotencyKeyFrom(request.headers),
      recipient: await recipientFor(ctx),
    }),
  );
  return NextResponse.json(outcome.envelope, {
    status: outcome.status,
    headers: {
      ...outcome.headers,
      ...(outcome.replayed ? { "idempotent-replayed": "true" } : {}),
    },
  });
}

import "server-only";
import { runOutbound } from "./service";
import { NextResponse, type NextRequest } from "next/server";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { envelopeRequestId, recipientFor } from "@/lib/platform/crypto/build-envelope";
import { env } from "@/lib/platform/config/env";
import { AppError } from "@/lib/platform/errors/app-error";
import { admission } from "@/lib/platform/http/admission";
import { readJson } from "@/lib/platform/http/read-json";
import { idempotencyKeyFrom } from "./idempotency";

// Requests beyond PROXY_MAX_IN_FLIGHT are refused at once (503 overloaded), before any work.
const proxyAdmission = admission("proxy", () => env().PROXY_MAX_IN_FLIGHT);

/** POST /api/v2/proxy/outbound */
export async function outboundResponse(request: NextRequest, ctx: ApiKeyContext) {
  const outcome = await proxyAdmission.run(async () => {
    const [input, options] = await Promise.all([
      readJson(request),
      (async () => ({
        requestId: envelopeRequestId(request.headers, ctx.requestId),
        idempotencyKey: idempotencyKeyFrom(request.headers),
        recipient: await recipientFor(ctx),
      }))(),
    ]).catch(async (error: unknown) => {
      // The key may come from this process's cache: it is read again before a refusal (a key
      // revoked meanwhile gets 401, not the refusal of its request).
      if (error instanceof AppError) await ctx.confirmKey();
      throw error;
    });
    return runOutbound(input, ctx, options);
  });
  return NextResponse.json(outcome.envelope, {
    status: outcome.status,
    headers: {
      ...outcome.headers,
      ...(outcome.replayed ? { "idempotent-replayed": "true" } : {}),
    },
  });
}

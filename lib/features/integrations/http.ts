import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { ApiKeyContext } from "@/lib/platform/request-context/with-api-key";
import { parseInput } from "@/lib/platform/http/parse-input";
import { readJson } from "@/lib/platform/http/read-json";
import { pageBody, parsePageQuery } from "@/lib/platform/http/pagination";
import { createIntegration, deleteIntegration, updateIntegration } from "./service";
import { getIntegrationOrThrow, pageIntegrations } from "./queries";
import { createIntegrationSchema, updateIntegrationSchema } from "./schemas";

// GET /api/v2/integrations?limit=&cursor= – newest first, paginated
export async function listResponse(request: NextRequest, ctx: ApiKeyContext) {
  const page = await pageIntegrations(ctx.tenantId, parsePageQuery(request.nextUrl));
  return NextResponse.json(pageBody("integrations", page));
}

export async function createResponse(request: NextRequest, ctx: ApiKeyContext) {
  const input = parseInput(createIntegrationSchema, await readJson(request));
  return NextResponse.json({ integration: await createIntegration(ctx, input) }, { status: 201 });
}

export async function getResponse(_r: NextRequest, ctx: ApiKeyContext, id: string) {
  return NextResponse.json({
    integration: await getIntegrationOrThrow({ tenantId: ctx.tenantId, id }),
  });
}

export async function patchResponse(request: NextRequest, ctx: ApiKeyContext, id: string) {
  const input = parseInput(updateIntegrationSchema, await readJson(request));
  return NextResponse.json({ integration: await updateIntegration(ctx, id, input) });
}

export async function deleteResponse(_r: NextRequest, ctx: ApiKeyContext, id: string) {
  await deleteIntegration(ctx, id);
  return new NextResponse(null, { status: 204 });
}

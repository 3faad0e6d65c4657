import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { type z } from "zod";
import type { ApiKeyContext } from "@/lib/api-keys/with-api-key";
import { AppError } from "@/lib/errors/app-error";
import { readJson } from "@/lib/http/read-json";
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  updateIntegration,
} from "./integrations";
import { createIntegrationSchema, updateIntegrationSchema } from "./schemas";

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
  }
  throw new AppError(
    "invalid_input",
    Object.entries(fields)
      .map(([k, v]) => `${k}: ${v.join(" ")}`)
      .join("; "),
    { fieldErrors: fields },
  );
}

export async function listResponse(_r: NextRequest, ctx: ApiKeyContext) {
  return NextResponse.json({ integrations: await listIntegrations(ctx.tenantId) });
}

export async function createResponse(request: NextRequest, ctx: ApiKeyContext) {
  const input = parse(createIntegrationSchema, await readJson(request));
  return NextResponse.json({ integration: await createIntegration(ctx, input) }, { status: 201 });
}

export async function getResponse(_r: NextRequest, ctx: ApiKeyContext, id: string) {
  return NextResponse.json({ integration: await getIntegration(ctx.tenantId, id) });
}

export async function patchResponse(request: NextRequest, ctx: ApiKeyContext, id: string) {
  const input = parse(updateIntegrationSchema, await readJson(request));
  return NextResponse.json({ integration: await updateIntegration(ctx, id, input) });
}

export async function deleteResponse(_r: NextRequest, ctx: ApiKeyContext, id: string) {
  await deleteIntegration(ctx, id);
  return new NextResponse(null, { status: 204 });
}

// GET|POST /api/v2/webhooks/twilio/{integration_id}/{kind} – Twilio's webhooks, signature-checked
import type { NextRequest } from "next/server";
import { intakeResponse } from "@/lib/features/webhooks/http";

type Route = { params: Promise<{ integrationId: string; kind: string }> };

async function handle(request: NextRequest, route: Route) {
  const { integrationId, kind } = await route.params;
  return intakeResponse(request, integrationId, kind);
}

export const GET = handle;
export const POST = handle;

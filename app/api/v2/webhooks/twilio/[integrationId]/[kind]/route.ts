// GET|POST /api/v2/webhooks/twilio/{integration_id}/{kind} – Twilio's webhooks, signature-checked
import type { NextRequest } from "next/server";
import { intakeResponse } from "@/lib/features/webhooks/http";
import { withRequestId } from "@/lib/platform/request-context/with-request-id";

type Route = { params: Promise<{ integrationId: string; kind: string }> };

const handle = withRequestId(async (request: NextRequest, requestId: string, route: Route) => {
  const { integrationId, kind } = await route.params;
  return intakeResponse(request, integrationId, kind, requestId);
});

export const GET = handle;
export const POST = handle;

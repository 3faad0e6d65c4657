// GET /api/tenants/{tenantId}/members – the tenant's members (console session)
import { NextResponse } from "next/server";
import { listMembers } from "@/lib/features/members/queries";
import { withTenant } from "@/lib/platform/request-context/with-tenant";

export const GET = withTenant("tenant:read", async (_request, ctx) =>
  NextResponse.json({ members: await listMembers({ tenantId: ctx.tenantId }) }),
);

// PATCH|DELETE /api/tenants/{tenantId}/members/{membershipId} – change a member's role, remove a member
import { NextResponse } from "next/server";
import { readJson } from "@/lib/http/read-json";
import { changeRole, removeMember } from "@/lib/tenancy/members";
import { changeRoleBodySchema } from "@/lib/tenancy/schemas";
import { withTenant } from "@/lib/tenancy/with-tenant";

type Params = { tenantId: string; membershipId: string };

export const PATCH = withTenant<Params>("members:write", async (request, ctx, { membershipId }) => {
  const { role } = changeRoleBodySchema.parse(await readJson(request));
  await changeRole(ctx, { membershipId, role });
  return NextResponse.json({ ok: true });
});

export const DELETE = withTenant<Params>(
  "members:write",
  async (_request, ctx, { membershipId }) => {
    await removeMember(ctx, { membershipId });
    return NextResponse.json({ ok: true });
  },
);

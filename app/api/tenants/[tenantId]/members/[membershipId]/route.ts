// PATCH|DELETE /api/tenants/{tenantId}/members/{membershipId} – change a member's role, remove a member
import { NextResponse } from "next/server";
import { parseInput } from "@/lib/platform/http/parse-input";
import { readJson } from "@/lib/platform/http/read-json";
import { changeRole, removeMember } from "@/lib/features/members/service";
import { changeRoleBodySchema } from "@/lib/features/members/schemas";
import { withTenant } from "@/lib/platform/request-context/with-tenant";

type Params = { tenantId: string; membershipId: string };

export const PATCH = withTenant<Params>("members:write", async (request, ctx, { membershipId }) => {
  const { role } = parseInput(changeRoleBodySchema, await readJson(request));
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

import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableRow } from "@/components/ui/table";
import { listMappings, provedDomain, ssoConfiguration } from "@/lib/features/sso/queries";
import { ROLES } from "@/lib/platform/request-context/permissions";
import type { TenantContext } from "@/lib/platform/request-context/resolve-tenant";
import { AddMappingForm, ChangeMappingForm, RemoveMappingForm } from "./sso-mapping-forms";

/** Owners' single sign-on settings: which e-mail domains join this tenant, in which role. */
export async function SsoMappingsCard({ ctx }: { ctx: TenantContext }) {
  const config = ssoConfiguration();
  const mappings = await listMappings({ tenantId: ctx.tenantId });
  const canManage = ctx.can("owners:manage");
  const proved = canManage ? await provedDomain(ctx) : null;
  return (
    <Card title="Single sign-on">
      <p className="mb-3 text-sm text-slate-700" data-testid="sso-issuer">
        {config ? (
          <>
            Issuer: <span className="font-mono text-xs">{config.issuer}</span>
          </>
        ) : (
          "Not configured: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"
        )}
      </p>
      <p className="mb-3 text-xs text-slate-500">
        People whose verified e-mail is in a mapped domain join this tenant with the mapped role the
        first time they sign in with single sign-on. A member&apos;s role is never changed by
        signing in. With &ldquo;must use single sign-on&rdquo;, members in the domain cannot sign in
        with a password.
      </p>
      {canManage ? (
        <p className="mb-3 text-xs text-slate-500" data-testid="sso-mapping-proof">
          You can map a domain (or make it single sign-on only) only when you signed in with single
          sign-on as someone of that domain in this session: the issuer vouching for your own
          address shows the domain is yours. Members with a second factor are still asked for it
          after single sign-on. Removing a mapping needs no such sign-in.{" "}
          {proved ? (
            <>
              This session signed in through single sign-on: you can map{" "}
              <span className="font-mono">{proved}</span>.
            </>
          ) : (
            "This session did not sign in through single sign-on: it can map no domain."
          )}
        </p>
      ) : null}
      {mappings.length > 0 ? (
        <Table label="Single sign-on domain mappings">
          <TableHead columns={["Domain", "Role and password sign-in", ""]} />
          <TableBody>
            {mappings.map((m) => (
              <TableRow key={m.id}>
                <TableCell className="font-mono text-xs">{m.domain}</TableCell>
                <TableCell>
                  {canManage ? (
                    <ChangeMappingForm
                      tenantId={ctx.tenantId}
                      mappingId={m.id}
                      domain={m.domain}
                      role={m.role}
                      requireSso={m.requireSso}
                      roles={ROLES}
                    />
                  ) : (
                    `${m.role}${m.requireSso ? " · single sign-on only" : ""}`
                  )}
                </TableCell>
                <TableCell className="text-right">
                  {canManage ? (
                    <RemoveMappingForm tenantId={ctx.tenantId} mappingId={m.id} domain={m.domain} />
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-600">No domain is mapped.</p>
      )}
      {canManage ? (
        <div className="mt-4">
          <AddMappingForm tenantId={ctx.tenantId} roles={ROLES} />
        </div>
      ) : null}
    </Card>
  );
}

import type { Role } from "@/db/schema";

export const ROLES = ["owner", "admin", "operator", "auditor"] as const satisfies readonly Role[];

// What each role may do inside its tenant. Default-deny: a permission not listed is refused.
export const PERMISSIONS = {
  "tenant:read": "view this tenant's pages and configuration",
  "members:write": "invite, change or remove members",
  "owners:manage": "grant, change or remove the owner role",
  "vault:write": "seal, rotate or delete credentials",
  "keys:write": "create or revoke API keys",
  "integrations:write": "create or change integrations",
  "console:use": "use the test console",
  "audit:read": "read the audit log",
  "settings:write": "change tenant settings",
} as const;

export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(ALL),
  admin: new Set(ALL.filter((p) => p !== "owners:manage")),
  operator: new Set<Permission>(["tenant:read", "console:use"]),
  auditor: new Set<Permission>(["tenant:read", "audit:read"]),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

import type { Role } from "@/db/schema";
import {
  can,
  PERMISSIONS,
  ROLES,
  type Permission,
} from "@/lib/platform/request-context/permissions";

export type { Role };

// What each role can do, in words, derived from the permission table itself
// (lib/platform/request-context/permissions.ts), so the console cannot say more or less than
// the server enforces.

const ALL = Object.keys(PERMISSIONS) as Permission[];
const permissionsOf = (role: Role) => ALL.filter((p) => can(role, p));

/** "an owner", "an admin" (every role name starts with a vowel today; this keeps it right). */
const withArticle = (role: Role) => `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;

/** "an owner or an admin", "an owner, an admin or an operator" ("and" with `all`). */
export function anyOf(roles: readonly Role[], word: "or" | "and" = "or"): string {
  const named = roles.map(withArticle);
  return named.length <= 1
    ? (named[0] ?? "nobody")
    : `${named.slice(0, -1).join(", ")} ${word} ${named.at(-1) ?? ""}`;
}

/** The roles that have a permission, most powerful first. */
export const rolesThatCan = (permission: Permission): Role[] =>
  ROLES.filter((r) => can(r, permission));

/**
 * One sentence per role. A role that holds everything some smaller roles hold says so ("Everything
 * an admin can, and: …") and lists only the rest.
 */
function describe(role: Role): string {
  const own = permissionsOf(role);
  const smaller = ROLES.filter((r) => {
    const theirs = permissionsOf(r);
    return r !== role && theirs.length < own.length && theirs.every((p) => can(role, p));
  });
  // Only the largest of them: "an admin", not "an admin, an operator or an auditor".
  const largest = smaller.filter(
    (r) => !smaller.some((other) => other !== r && permissionsOf(r).every((p) => can(other, p))),
  );
  const covered = new Set(largest.flatMap(permissionsOf));
  const rest = own.filter((p) => !covered.has(p)).map((p) => PERMISSIONS[p]);
  if (largest.length === 0) return `${capitalise(rest.join("; "))}.`;
  return `Everything ${anyOf(largest, "and")} can, and: ${rest.join("; ")}.`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const ROLE_DESCRIPTIONS: Record<Role, string> = Object.fromEntries(
  ROLES.map((r) => [r, describe(r)]),
) as Record<Role, string>;

/**
 * Whether a member with `permission`s may change, remove or help a member whose role is
 * `current` (and, for a role change, give them `next`): members:write, and owners:manage when
 * the owner role is involved. The service enforces it; the members page shows only what passes.
 */
export function mayTouch(
  viewer: { can: (permission: Permission) => boolean },
  current: Role,
  next?: Role,
): boolean {
  if (!viewer.can("members:write")) return false;
  return !(current === "owner" || next === "owner") || viewer.can("owners:manage");
}

import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, type Permission } from "./permissions";

const table: Record<
  Permission,
  [owner: boolean, admin: boolean, operator: boolean, auditor: boolean]
> = {
  "tenant:read": [true, true, true, true],
  "members:write": [true, true, false, false],
  "owners:manage": [true, false, false, false],
  "vault:write": [true, true, false, false],
  "keys:write": [true, true, false, false],
  "integrations:write": [true, true, false, false],
  "console:use": [true, true, true, false],
  "audit:read": [true, true, false, true],
  "settings:write": [true, true, false, false],
};

describe("role permissions", () => {
  it("covers every permission", () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it.each(Object.entries(table))("%s", (permission, [owner, admin, operator, auditor]) => {
    const p = permission as Permission;
    expect([can("owner", p), can("admin", p), can("operator", p), can("auditor", p)]).toEqual([
      owner,
      admin,
      operator,
      auditor,
    ]);
  });

  it("gives the auditor nothing that changes state", () => {
    const mutating = (Object.keys(PERMISSIONS) as Permission[]).filter(
      (p) => p.endsWith(":write") || p.endsWith(":manage") || p.endsWith(":use"),
    );
    expect(mutating.filter((p) => can("auditor", p))).toEqual([]);
  });
});

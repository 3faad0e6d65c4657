import { describe, expect, it } from "vitest";
import {
  can,
  PERMISSIONS,
  ROLES,
  type Permission,
} from "@/lib/platform/request-context/permissions";
import { anyOf, ROLE_DESCRIPTIONS, rolesThatCan } from "./roles";

const ALL = Object.keys(PERMISSIONS) as Permission[];

describe("role descriptions (from the permission table)", () => {
  it("say what each role can do", () => {
    expect(ROLE_DESCRIPTIONS).toEqual({
      owner: "Everything an admin can, and: grant, change or remove the owner role.",
      admin:
        "Everything an operator and an auditor can, and: invite, change or remove members; seal, rotate or delete credentials; create or revoke API keys; create or change integrations; change tenant settings.",
      operator: "View this tenant's pages and configuration; use the test console.",
      auditor: "View this tenant's pages and configuration; read the audit log.",
    });
  });

  it("name no permission a role lacks, and (with the roles it builds on) every one it has", () => {
    for (const role of ROLES) {
      const text = ROLE_DESCRIPTIONS[role].toLowerCase();
      const base = /^everything (.+) can, and/.exec(text)?.[1] ?? "";
      const baseRoles = ROLES.filter((r) => base.includes(` ${r}`));
      for (const p of ALL) {
        const phrase = PERMISSIONS[p].toLowerCase();
        const said = text.includes(phrase) || baseRoles.some((r) => can(r, p));
        expect([role, p, said]).toEqual([role, p, can(role, p)]);
      }
    }
  });

  it("name who can do something", () => {
    expect(rolesThatCan("vault:write")).toEqual(["owner", "admin"]);
    expect(anyOf(rolesThatCan("console:use"))).toBe("an owner, an admin or an operator");
    expect(anyOf(rolesThatCan("owners:manage"))).toBe("an owner");
  });
});

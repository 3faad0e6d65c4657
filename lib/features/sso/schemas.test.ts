import { describe, expect, it } from "vitest";
import { addMappingSchema, domainSchema } from "./schemas";

describe("domainSchema", () => {
  it.each([
    ["example.com", "example.com"],
    ["  Mail.Example.CO.uk ", "mail.example.co.uk"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["a-b.example.xn--p1ai", "a-b.example.xn--p1ai"],
  ])("accepts %j as %j", (input, stored) => {
    expect(domainSchema.parse(input)).toBe(stored);
  });

  it.each([
    ["", "Enter an e-mail domain"],
    ["@example.com", "without @"],
    ["ann@example.com", "without @"],
    ["*.example.com", "Wildcards"],
    ["example", "Enter an e-mail domain"],
    ["example.com.", "Enter an e-mail domain"],
    [".example.com", "Enter an e-mail domain"],
    ["-bad.example.com", "Enter an e-mail domain"],
    ["bad-.example.com", "Enter an e-mail domain"],
    ["ex ample.com", "Enter an e-mail domain"],
    ["exa_mple.com", "Enter an e-mail domain"],
    ["10.0.0.1", "Enter an e-mail domain"],
    ["example.c0m", "Enter an e-mail domain"],
    ["https://example.com", "Enter an e-mail domain"],
    ["bücher.example", "Enter an e-mail domain"],
    [`${"a".repeat(64)}.com`, "Enter an e-mail domain"],
    [`${"a.".repeat(130)}com`, "at most 253"],
    ["example.com\u0000", "Enter an e-mail domain"],
  ])("refuses %j", (input, message) => {
    const result = domainSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});

describe("addMappingSchema", () => {
  it("reads the checkbox as present or absent", () => {
    expect(
      addMappingSchema.parse({ domain: "example.com", role: "operator", requireSso: "on" }),
    ).toEqual({ domain: "example.com", role: "operator", requireSso: true });
    expect(addMappingSchema.parse({ domain: "example.com", role: "auditor" })).toMatchObject({
      requireSso: false,
    });
    expect(addMappingSchema.safeParse({ domain: "example.com", role: "root" }).success).toBe(false);
  });
});

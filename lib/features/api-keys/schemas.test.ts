import { describe, expect, it } from "vitest";
import { createApiKeySchema } from "./schemas";
import { needsClientKey } from "./scopes";

describe("createApiKeySchema (console form)", () => {
  it("accepts one checked scope, several, and an empty expiry", () => {
    expect(
      createApiKeySchema.parse({ name: "a", scopes: "audit:read", expiresInDays: "" }),
    ).toMatchObject({
      scopes: ["audit:read"],
      expiresInDays: undefined,
    });
    expect(
      createApiKeySchema.parse({
        name: "a",
        scopes: ["proxy", "proxy", "audit:read"],
        clientPublicKey: "AAAA",
        expiresInDays: "30",
      }),
    ).toMatchObject({
      scopes: ["proxy", "audit:read"],
      expiresInDays: 30,
    });
  });

  it("refuses no scope, unknown scopes and a bad expiry with messages", () => {
    const r = createApiKeySchema.safeParse({ name: "", scopes: ["root"], expiresInDays: "0" });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path[0]);
    expect(new Set(paths)).toEqual(new Set(["name", "scopes", "expiresInDays"]));
    expect(createApiKeySchema.safeParse({ name: "a" }).success).toBe(false);
  });

  it("needs a client public key with the proxy scope only", () => {
    const proxy = createApiKeySchema.safeParse({ name: "a", scopes: ["audit:read", "proxy"] });
    expect(proxy.error?.issues.map((i) => i.path)).toEqual([["clientPublicKey"]]);
    // An empty field is no key (the form sends one only when it made a pair).
    expect(
      createApiKeySchema.safeParse({ name: "a", scopes: "proxy", clientPublicKey: "" }).success,
    ).toBe(false);
    for (const scopes of [["audit:read"], ["vault:seal", "integrations:write"]]) {
      const parsed = createApiKeySchema.parse({ name: "a", scopes });
      expect(parsed.scopes).toEqual(scopes);
      expect(parsed.clientPublicKey).toBeUndefined();
    }
    // Not refused when it comes anyway (a webhook receiver's key).
    expect(
      createApiKeySchema.parse({ name: "a", scopes: "audit:read", clientPublicKey: "AAAA" }),
    ).toMatchObject({ clientPublicKey: "AAAA" });
  });

  it("knows that only the proxy scope answers with envelopes", () => {
    expect(needsClientKey(["proxy"])).toBe(true);
    expect(needsClientKey(["audit:read", "proxy"])).toBe(true);
    expect(needsClientKey(["audit:read", "vault:seal", "integrations:write"])).toBe(false);
    expect(needsClientKey([])).toBe(false);
  });
});

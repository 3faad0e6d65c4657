import { describe, expect, it } from "vitest";
import { createApiKeySchema } from "./schemas";

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
});

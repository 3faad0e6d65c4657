import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
  });

  it("salts each hash, so equal passwords give different hashes", async () => {
    const [a, b] = await Promise.all([
      hashPassword("same password 1"),
      hashPassword("same password 1"),
    ]);
    expect(a).not.toBe(b);
  });

  it("refuses malformed or tampered stored hashes", async () => {
    const hash = await hashPassword("some password 12");
    const parts = hash.split("$");
    parts[5] = Buffer.alloc(32, 1).toString("base64");
    expect(await verifyPassword("some password 12", parts.join("$"))).toBe(false);
    expect(await verifyPassword("some password 12", "plain:some password 12")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { idSchema, isId, newId } from "./ids";

describe("ids", () => {
  it("are prefixed ULIDs that sort by creation", () => {
    const a = newId("tenant");
    const b = newId("tenant");
    expect(a).toMatch(/^ten_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b || a.slice(0, 14) === b.slice(0, 14)).toBe(true);
  });

  it("draw their 80 random bits fresh for every id, across refills of the random pool", () => {
    // 10,000 ids take 160,000 random characters: the 4 KiB pool is refilled 39 times.
    const ids = Array.from({ length: 10_000 }, () => newId("request").slice(14));
    expect(new Set(ids).size).toBe(ids.length);
    const counts = new Map<string, number>();
    for (const c of ids.join("")) counts.set(c, (counts.get(c) ?? 0) + 1);
    // All 32 characters, each near 1/32 of 160,000 (5,000; ±10 % is > 14 standard deviations).
    expect(counts.size).toBe(32);
    for (const n of counts.values()) expect(Math.abs(n - 5_000)).toBeLessThan(500);
  });
});

describe("isId", () => {
  it("accepts an id of its kind only", () => {
    const id = newId("integration");
    expect(isId("integration", id)).toBe(true);
    expect(isId("credential", id)).toBe(false);
    for (const bad of [
      "",
      "\u0000",
      `${id}\u0000`,
      id.toLowerCase(),
      `${id}0`,
      id.slice(0, -1),
      `int_${"I".repeat(26)}`,
      "int_../../etc/passwd",
      `int_${"0".repeat(5000)}`,
    ]) {
      expect(isId("integration", bad), JSON.stringify(bad.slice(0, 40))).toBe(false);
    }
  });

  it("idSchema refuses anything but an id string with its message", () => {
    const schema = idSchema("credential", "Choose a credential.");
    expect(schema.safeParse(newId("credential")).success).toBe(true);
    for (const bad of [42, null, ["cred_x"], "cred_x"]) {
      expect(schema.safeParse(bad).error?.issues[0]?.message).toBe("Choose a credential.");
    }
  });
});

import { describe, expect, it } from "vitest";
import { isId, newId } from "./ids";

describe("ids", () => {
  it("are prefixed ULIDs that sort by creation", () => {
    const a = newId("tenant");
    const b = newId("tenant");
    expect(isId("tenant", a)).toBe(true);
    expect(isId("user", a)).toBe(false);
    expect(a < b || a.slice(0, 14) === b.slice(0, 14)).toBe(true);
  });
});

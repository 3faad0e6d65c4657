import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("ids", () => {
  it("are prefixed ULIDs that sort by creation", () => {
    const a = newId("tenant");
    const b = newId("tenant");
    expect(a).toMatch(/^ten_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b || a.slice(0, 14) === b.slice(0, 14)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { labelSchema } from "./label";

const name = labelSchema("Name it.", 100);

describe("labelSchema (names people give things)", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["right-to-left override", "invoice\u202Efdp.exe"],
    ["left-to-right embedding", "a\u202Ab"],
    ["pop directional formatting", "a\u202Cb"],
    ["left-to-right isolate", "a\u2066b"],
    ["pop directional isolate", "a\u2069b"],
    ["left-to-right mark", "a\u200Eb"],
    ["right-to-left mark", "a\u200Fb"],
    ["Arabic letter mark", "a\u061Cb"],
    ["C1 control", "a\u009Bb"],
    ["escape", "a\u001Bb"],
    ["tab", "a\tb"],
    ["line feed", "a\nb"],
    ["DEL", "a\u007Fb"],
    ["lone high surrogate", "a\uD83Db"],
    ["lone low surrogate", "a\uDC00b"],
  ])("refuses a %s with a message naming the character", (_what, value) => {
    const parsed = name.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/U\+[0-9A-F]{4}/);
  });

  it("accepts any script, combining marks, joiners and emoji", () => {
    for (const value of [
      "Zürich",
      "東京",
      "مكتب القاهرة",
      "שלום",
      "e\u0301",
      "👩‍💻 team",
      "a\u200Db",
    ]) {
      expect(name.safeParse(value).success, value).toBe(true);
    }
  });

  it("still refuses phone numbers and trims spaces", () => {
    expect(name.safeParse("+1 415 555 0100").success).toBe(false);
    expect(name.parse("  ok  ")).toBe("ok");
  });
});

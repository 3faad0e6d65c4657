import { describe, expect, it } from "vitest";
import { formatDate, isoDate } from "./format-date";

describe("the console's date format (lib/shared/format-date.ts)", () => {
  const at = new Date("2026-11-21T22:48:09.123Z");

  it("renders UTC in ISO order at the chosen precision", () => {
    expect(formatDate(at)).toBe("2026-11-21 22:48");
    expect(formatDate(at, "day")).toBe("2026-11-21");
    expect(formatDate(at.toISOString(), "second")).toBe("2026-11-21 22:48:09");
  });

  it("leaves a string that is not a date as it is", () => {
    expect(formatDate("soon")).toBe("soon");
    expect(isoDate("soon")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { formatDate, formatUtc, isoDate, relativeTime } from "./format-date";

describe("the console's date format (lib/shared/format-date.ts)", () => {
  const at = new Date("2026-11-21T22:48:09.123Z");

  it("renders UTC in ISO order at the chosen precision", () => {
    expect(formatDate(at)).toBe("2026-11-21 22:48");
    expect(formatDate(at, "day")).toBe("2026-11-21");
    expect(formatDate(at.toISOString(), "second")).toBe("2026-11-21 22:48:09");
  });

  it("names the zone of a time, not of a bare day", () => {
    expect(formatUtc(at)).toBe("2026-11-21 22:48 UTC");
    expect(formatUtc(at, "second")).toBe("2026-11-21 22:48:09 UTC");
    expect(formatUtc(at, "day")).toBe("2026-11-21");
    expect(formatUtc("soon")).toBe("soon");
  });

  it("leaves a string that is not a date as it is", () => {
    expect(formatDate("soon")).toBe("soon");
    expect(isoDate("soon")).toBeNull();
    expect(relativeTime("soon", at)).toBeNull();
  });
});

describe("relative time hints", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const ago = (seconds: number) => relativeTime(new Date(now.getTime() - seconds * 1000), now);
  const ahead = (seconds: number) => relativeTime(new Date(now.getTime() + seconds * 1000), now);

  it("says how long ago, in the largest whole unit", () => {
    expect(ago(10)).toBe("just now");
    expect(ago(50)).toBe("1 min ago");
    expect(ago(3 * 60 + 59)).toBe("3 min ago");
    expect(ago(59 * 60 + 59)).toBe("59 min ago");
    expect(ago(60 * 60)).toBe("1 hour ago");
    expect(ago(5 * 3600 + 1800)).toBe("5 hours ago");
    expect(ago(86_400)).toBe("1 day ago");
    expect(ago(29 * 86_400)).toBe("29 days ago");
    expect(ago(45 * 86_400)).toBe("1 month ago");
    expect(ago(800 * 86_400)).toBe("2 years ago");
  });

  it("says how far ahead a future time is", () => {
    expect(ahead(20)).toBe("in under a minute");
    expect(ahead(3 * 86_400 + 60)).toBe("in 3 days");
    expect(ahead(2 * 3600)).toBe("in 2 hours");
  });

  it("takes ISO strings as the database driver may hand them over", () => {
    expect(relativeTime("2026-12-01T11:57:00.000Z", now)).toBe("3 min ago");
  });
});

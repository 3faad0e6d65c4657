import { describe, expect, it } from "vitest";
import { DESTINATION_HINT } from "./schemas";
import { parseAuditSearch } from "./search";

describe("the console's audit filters", () => {
  it.each([["garbage"], ["2026-13-45"], ["2026-02-30"], ["1969-12-31"], ["99999"]])(
    "lists nothing for the date %s, with the error beside the field",
    (from) => {
      const search = parseAuditSearch({ from, action: "auth.sign_in" });
      expect(search.query).toBeNull();
      expect(Object.keys(search.errors ?? {})).toEqual(["from"]);
      // the other filters are kept for the form and the links
      expect(search.params).toEqual({ from, action: "auth.sign_in" });
    },
  );

  it("reads date-picker days in UTC, the whole of the `to` day included", () => {
    const { query, errors } = parseAuditSearch({ from: "2026-11-21", to: "2026-11-21" });
    expect(errors).toBeNull();
    expect(query?.from?.toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(query?.to?.toISOString()).toBe("2026-11-22T00:00:00.000Z");
    // a date-time without a zone is UTC too, not the server's zone
    expect(parseAuditSearch({ from: "2026-11-21T10:30" }).query?.from?.toISOString()).toBe(
      "2026-11-21T10:30:00.000Z",
    );
  });

  it("refuses a range that ends before it starts", () => {
    const search = parseAuditSearch({ from: "2026-11-22", to: "2026-11-21" });
    expect(search.query).toBeNull();
    expect(search.errors).toEqual({ to: [expect.stringContaining("before") as unknown] });
  });

  it("asks for the international format instead of finding nothing for a national number", () => {
    const national = parseAuditSearch({ destination: "07700 900123" });
    expect(national.query).toBeNull();
    expect(national.errors).toEqual({ destination: [DESTINATION_HINT] });
    expect(parseAuditSearch({ destination: "+44 7700 900123" }).query?.destination).toBe(
      "+44 7700 900123",
    );
  });

  it("takes the last of repeated parameters and ignores empty and unknown ones", () => {
    const search = parseAuditSearch({
      outcome: ["failed", "denied"],
      actor: "  ",
      limit: "9999",
      evil: "x",
    });
    expect(search.params).toEqual({ outcome: "denied" });
    expect(search.query).toMatchObject({ outcome: "denied", limit: 50 });
  });
});

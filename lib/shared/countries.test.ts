import { describe, expect, it } from "vitest";
import { countryLabel, countryName, phoneCountries } from "./countries";
import { isCountryCode } from "./phone";

describe("country names", () => {
  it("names a code in English, with the code for the API", () => {
    expect(countryName("GG")).toBe("Guernsey");
    expect(countryName("us")).toBe("United States");
    expect(countryLabel("GG")).toBe("Guernsey (GG)");
  });

  it("falls back to the code for what it cannot name", () => {
    expect(countryName("unknown")).toBe("unknown");
    expect(countryName("QZ")).toBe("QZ");
  });

  it("lists every country allowed_countries accepts, by name, each once", () => {
    const all = phoneCountries();
    expect(all.length).toBeGreaterThan(200);
    expect(all.every((c) => isCountryCode(c.code))).toBe(true);
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
    expect(all.find((c) => c.code === "GG")).toEqual({ code: "GG", name: "Guernsey" });
    const names = all.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    expect(all.filter((c) => c.name === c.code)).toEqual([]);
  });
});

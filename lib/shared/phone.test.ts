import { describe, expect, it } from "vitest";
import { isCountryCode, isE164, looksLikePhoneNumber, maskPhone, toE164 } from "./phone";

describe("phone facts (lib/shared/phone.ts)", () => {
  it("knows the E.164 shape", () => {
    expect(isE164("+14155550100")).toBe(true);
    expect(isE164("+04155550100")).toBe(false);
    expect(isE164("4155550100")).toBe(false);
    expect(isE164("+1415")).toBe(false);
  });

  it("flags strings that may be phone numbers, formatted or bare", () => {
    expect(looksLikePhoneNumber("+1 (415) 555-0100")).toBe(true);
    expect(looksLikePhoneNumber("4155550188")).toBe(true);
    expect(looksLikePhoneNumber("SM0123456789")).toBe(false);
  });

  it("accepts only upper-case ISO codes of countries with numbers", () => {
    expect(isCountryCode("US")).toBe(true);
    expect(isCountryCode("us")).toBe(false);
    expect(isCountryCode("ZZ")).toBe(false);
  });

  it("normalises possible numbers to E.164, else null", () => {
    expect(toE164(" +1 415 555 0100 ")).toBe("+14155550100");
    expect(toE164("not a number")).toBeNull();
  });

  it("shows only the last two digits", () => {
    expect(maskPhone("+14155550123")).toBe("••••23");
    expect(maskPhone("23")).toBe("••••23");
    expect(maskPhone("+14155550123")).not.toContain("555");
  });
});

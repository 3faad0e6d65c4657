import { describe, expect, it } from "vitest";
import { fromB64, toB64 } from "./bytes";

describe("fromB64 (strict RFC 4648 §4 base64, ENVELOPE.md §1)", () => {
  it("round-trips every length mod 3 and returns a plain Uint8Array, never a Buffer", () => {
    for (const length of [0, 1, 2, 3, 4, 5, 64, 1088]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      const decoded = fromB64(toB64(bytes));
      expect(decoded).toEqual(bytes);
      expect(decoded.constructor).toBe(Uint8Array);
    }
  });

  it("rejects non-zero unused bits before the padding", () => {
    expect(fromB64("AA==")).toEqual(Uint8Array.of(0));
    for (const c of "BCDEFGHIJKLMNOP") expect(() => fromB64(`A${c}==`), c).toThrow();
    expect(fromB64("AAA=")).toEqual(Uint8Array.of(0, 0));
    for (const c of "BCD") expect(() => fromB64(`AA${c}=`), c).toThrow();
    expect(fromB64("AAE=")).toEqual(Uint8Array.of(0, 1));
  });

  it("accepts a padded final quantum exactly when it is the encoding of its own bytes", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const decodes = (text: string) => {
      try {
        return toB64(fromB64(text)) === text;
      } catch {
        return false;
      }
    };
    const wrong: string[] = [];
    let accepted = 0;
    for (const a of alphabet) {
      for (const b of alphabet) {
        for (const text of [`${a}${b}==`, ...Array.from(alphabet, (c) => `${a}${b}${c}=`)]) {
          const canonical = Buffer.from(text, "base64").toString("base64") === text;
          if (canonical) accepted++;
          if (decodes(text) !== canonical) wrong.push(text);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(accepted).toBe(256 + 65536);
  });

  it("rejects wrong or missing padding, whitespace and the base64url alphabet", () => {
    for (const bad of [
      "AA",
      "AAA",
      "AA=",
      "AA===",
      "A===",
      "=",
      "AA=A",
      "AAAA=",
      " AAAA",
      "AAAA\n",
      "AA AA",
      "+/-_",
      "AB_w",
      "AB-w",
    ]) {
      expect(() => fromB64(bad), JSON.stringify(bad)).toThrow();
    }
  });
});

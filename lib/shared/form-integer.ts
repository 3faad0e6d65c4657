import { z } from "zod";

/**
 * A whole number typed into a form or a query string: plain decimal digits only. Number() and
 * z.coerce also read "1e3", "0x10", " 7", "7.0" and "" (as 1000, 16, 7, 7 and 0); those stay
 * strings here, so the number schema refuses them with its own message. Empty is "not given".
 * (JSON bodies carry numbers as numbers: their schemas take no strings at all.)
 */
export function digitsToNumber(value: unknown): unknown {
  if (value === "") return undefined;
  return typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
}

/** `schema` (a number schema) reading its value from form or query-string digits. */
export const formInteger = <S extends z.ZodType>(schema: S) => z.preprocess(digitsToNumber, schema);

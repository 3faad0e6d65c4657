import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/platform/errors/app-error";
import { decodeCursor, encodeCursor, pageBody, parsePageQuery, toPage } from "./pagination";

const key = { at: "2026-12-01T02:40:15.123456Z", id: "cred_01JZ0000000000000000000000" };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function refusal(query: string) {
  try {
    parsePageQuery(new URL(`http://localhost/api/v2/x${query}`));
  } catch (e) {
    if (e instanceof AppError)
      return { code: e.code, fields: Object.keys(e.options.fieldErrors ?? {}) };
    throw e;
  }
  return null;
}

describe("the cursor codec", () => {
  it("round-trips a keyset", () => {
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it("refuses anything it did not write", () => {
    const cursor = encodeCursor(key);
    for (const bad of [
      "",
      "eyJ",
      `${cursor}x`,
      `${cursor}=`,
      cursor.slice(0, -2),
      b64({ ...key, extra: 1 }),
      b64({ ...key, at: "2026-12-01T02:40:15.123Z" }),
      b64({ ...key, at: "2026-13-41T02:40:15.123456Z" }),
      b64({ ...key, id: "cred_x' or 1=1" }),
      b64({ at: key.at }),
      b64([key.at, key.id]),
      b64(null),
      "a".repeat(1_001),
    ]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});

describe("parsePageQuery", () => {
  it("defaults to 50 and reads limit and cursor", () => {
    expect(parsePageQuery(new URL("http://localhost/x"))).toEqual({ limit: 50 });
    expect(
      parsePageQuery(new URL(`http://localhost/x?limit=200&cursor=${encodeCursor(key)}`)),
    ).toEqual({
      limit: 200,
      cursor: key,
    });
  });

  it("answers 400 invalid_input naming the field", () => {
    for (const limit of ["0", "201", "-1", "1e2", "1.5", "ten", " 5"]) {
      expect(refusal(`?limit=${encodeURIComponent(limit)}`), limit).toEqual({
        code: "invalid_input",
        fields: ["limit"],
      });
    }
    expect(refusal("?cursor=nope")).toEqual({ code: "invalid_input", fields: ["cursor"] });
    expect(refusal("?limit=2")).toBeNull();
  });
});

describe("toPage", () => {
  const rows = [1, 2, 3].map((n) => ({ id: n }));
  it("uses the extra row only to say there is more", () => {
    expect(toPage(rows, 2, (r) => `c${r.id}`)).toEqual({
      items: rows.slice(0, 2),
      next_cursor: "c2",
      has_more: true,
    });
    expect(toPage(rows, 3, (r) => `c${r.id}`)).toEqual({
      items: rows,
      next_cursor: null,
      has_more: false,
    });
    expect(
      pageBody(
        "things",
        toPage([], 2, () => "x"),
      ),
    ).toEqual({
      things: [],
      next_cursor: null,
      has_more: false,
    });
  });
});

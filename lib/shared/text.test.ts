import { describe, expect, it } from "vitest";
import { textProblems } from "./text";

const all = (value: unknown, values: "line" | "message" | "storable", maxDepth?: number) =>
  [...textProblems(value, { values, names: values === "message" ? "line" : values }, maxDepth)].map(
    ({ path, inName, problem }) => [path.join("."), inName, problem.slice(0, 16)],
  );

describe("textProblems (one walker for bodies, forms, queries and webhooks)", () => {
  it("finds every refused string, names included, in document order", () => {
    const body = { a: "ok", b: { c: ["fine", "x\u0000"], "d\u001B": "v" }, e: "\u202E" };
    expect(all(body, "line")).toEqual([
      ["b.c.1", false, "Contains U+0000,"],
      ["b.d\u001B", true, "Contains U+001B,"],
      ["e", false, "Contains U+202E,"],
    ]);
  });

  it("applies the rule it is given: messages keep line breaks, storable text only NUL and lone surrogates", () => {
    const form = { body: "line 1\nline 2\u202E", esc: "\u001B[31m" };
    expect(all(form, "message")).toEqual([["esc", false, "Contains U+001B,"]]);
    expect(all(form, "storable")).toEqual([]);
    expect(all({ a: "\uD83D", "b\u0000": "" }, "storable")).toEqual([
      ["a", false, "Contains U+D83D,"],
      ["b\u0000", true, "Contains U+0000,"],
    ]);
  });

  it("does not look into a field whose name is refused", () => {
    expect(all({ "a\u0000": { b: "\u0000" } }, "line")).toEqual([
      ["a\u0000", true, "Contains U+0000,"],
    ]);
  });

  it("refuses nesting deeper than asked, and walks any depth without recursion", () => {
    expect(all({ a: { b: { c: "x" } } }, "line", 2)).toEqual([
      ["a.b.c", false, "Nested too deepl"],
    ]);
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const [found] = textProblems(deep, { values: "storable", names: "storable" });
    expect(found?.path).toHaveLength(200_000);
  });
});

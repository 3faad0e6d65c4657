import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contrast } from "./contrast";

// The console's colours in light and dark mode, as the browser resolves them: Tailwind's default
// palette, overridden by app/globals.css (its @theme block, then its prefers-color-scheme: dark
// block). Each pair is a text colour on a background that components use together.

const root = path.join(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

const variables = (css: string): Record<string, string> =>
  Object.fromEntries(
    [...css.matchAll(/--color-([a-z]+(?:-\d+)?):\s*([^;]+);/g)].map((m): [string, string] => [
      m[1] ?? "",
      (m[2] ?? "").trim(),
    ]),
  );

const globals = read("app/globals.css");
const [lightPart, darkPart] = globals.split("@media (prefers-color-scheme: dark)");
const light = {
  ...variables(read("node_modules/tailwindcss/theme.css")),
  ...variables(lightPart ?? ""),
};
const dark = { ...light, ...variables(darkPart ?? "") };

/** [text, background]: what the console shows together, at AA for normal text (4.5:1). */
const PAIRS: [string, string][] = [
  ["slate-900", "white"],
  ["slate-900", "slate-50"],
  ["slate-800", "white"],
  ["slate-800", "slate-100"],
  ["slate-700", "white"],
  ["slate-700", "slate-50"],
  ["slate-700", "slate-100"],
  ["slate-600", "white"],
  ["slate-600", "slate-50"],
  ["slate-600", "slate-100"],
  ["slate-500", "white"],
  ["slate-500", "slate-50"],
  ["brand-700", "white"],
  ["brand-700", "slate-50"],
  ["brand-700", "brand-50"],
  ["white", "brand-600"],
  ["white", "brand-700"],
  ["red-600", "white"],
  ["red-700", "white"],
  ["red-700", "red-50"],
  ["red-800", "red-50"],
  ["red-900", "red-50"],
  ["emerald-700", "white"],
  ["emerald-800", "emerald-50"],
  ["emerald-800", "emerald-100"],
  ["emerald-900", "emerald-50"],
  ["amber-700", "white"],
  ["amber-800", "amber-50"],
  ["amber-900", "amber-50"],
];

describe("theme contrast (app/globals.css)", () => {
  it("computes WCAG contrast as the reference does", () => {
    expect(contrast("#000", "#fff")).toBeCloseTo(21, 5);
    // Tailwind's slate-500 is #62748e: 4.77:1 on white.
    expect(contrast("oklch(55.4% 0.046 257.417)", "#ffffff")).toBeCloseTo(4.77, 2);
  });

  it("remaps every colour family it uses in dark mode", () => {
    for (const family of ["slate", "red", "emerald", "amber"]) {
      for (const shade of [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 950]) {
        expect(variables(darkPart ?? ""), `${family}-${shade}`).toHaveProperty(
          `${family}-${shade}`,
        );
      }
    }
    expect(Object.keys(variables(darkPart ?? ""))).toEqual(
      expect.arrayContaining(["white", "brand-50", "brand-600", "brand-700"]),
    );
  });

  for (const [mode, palette] of [
    ["light", light],
    ["dark", dark],
  ] as const) {
    it(`keeps text at 4.5:1 or more in ${mode} mode`, () => {
      const failing = PAIRS.flatMap(([text, background]) => {
        const ratio = contrast(palette[text] ?? "", palette[background] ?? "");
        return ratio >= 4.5 ? [] : [`${text} on ${background}: ${ratio.toFixed(2)}`];
      });
      expect(failing).toEqual([]);
    });
  }

  it("makes dark mode dark: the page and card surfaces are darker than the body text", () => {
    const [surface, text] = [dark.white ?? "", dark["slate-900"] ?? ""];
    expect(contrast(surface, "#000")).toBeLessThan(contrast(text, "#000"));
  });
});

import type { z } from "zod";

// What text from a caller may contain. Some characters change what a person reads without
// showing themselves: control characters (NUL, which PostgreSQL refuses outright, terminal
// escapes, C1 controls), the bidirectional formatting characters that reorder text on screen
// ("Trojan Source", CVE-2021-42574: with U+202E, "invoice\u202Efdp.exe" reads "invoiceexe.pdf")
// and lone surrogates, which are not text at all. Names, filters, ids and other one-line
// values refuse all of them ("line"); message content (an SMS body, TwiML) may hold line breaks,
// tabs and the direction marks right-to-left languages use ("message").

// C0 controls except tab, line feed and carriage return; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
// LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, and the Arabic letter mark.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextKind = "line" | "message";

const RULES: Record<TextKind, [RegExp, string][]> = {
  line: [
    [CONTROL, "a control character"],
    [LINE_BREAK_OR_TAB, "a line break or tab"],
    [BIDI_CONTROL, "a text-direction control character"],
    [LONE_SURROGATE, "a lone surrogate (not a character)"],
  ],
  message: [
    [CONTROL, "a control character"],
    [LONE_SURROGATE, "a lone surrogate (not a character)"],
  ],
};

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `value` is not acceptable text of `kind` (naming the character), or null when it is. */
export function textProblem(value: string, kind: TextKind): string | null {
  for (const [pattern, what] of RULES[kind]) {
    const found = pattern.exec(value);
    if (found) return `Contains ${codePoint(found[0])}, ${what}; remove it.`;
  }
  return null;
}

/** `base` (a string schema) refusing what `kind` does not allow, with a message naming it. */
export function safeText<S extends z.ZodType<string>>(base: S, kind: TextKind = "line"): S {
  return base.superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

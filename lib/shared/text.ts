import type { z } from "zod";

// What text from a caller may contain. Some characters change what a person reads without
// showing themselves: control characters (NUL, which PostgreSQL refuses outright, terminal
// escapes, C1 controls), the bidirectional formatting characters that reorder text on screen
// ("Trojan Source", CVE-2021-42574: with U+202E, "invoice\u202Efdp.exe" reads "invoiceexe.pdf")
// and lone surrogates, which are not text at all. Names, filters, ids and other one-line
// values refuse all of them ("line"); message content (an SMS body, TwiML) may hold line breaks,
// tabs and the direction marks right-to-left languages use ("message"). Data kept as it came (a
// signed webhook, whose signature covers every character) refuses only what PostgreSQL cannot
// store at all: NUL (text and jsonb refuse it) and lone surrogates (jsonb does) ("storable").

// C0 controls except tab, line feed and carriage return; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
// LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, and the Arabic letter mark.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUL = /\u0000/;

export type TextKind = "line" | "message" | "storable";

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
  storable: [
    [NUL, "a NUL character"],
    [LONE_SURROGATE, "a lone surrogate (not a character)"],
  ],
};

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `value` is not acceptable text of `kind` (naming the character), or null when it is. */
function textProblem(value: string, kind: TextKind): string | null {
  for (const [pattern, what] of RULES[kind]) {
    const found = pattern.exec(value);
    if (found) return `Contains ${codePoint(found[0])}, ${what}; remove it.`;
  }
  return null;
}

/** Where `textProblems` found text its rule refuses: in the name or in the value at `path`. */
interface TextProblemAt {
  /** Field names and array indexes down to the field, its own name last. */
  path: string[];
  inName: boolean;
  problem: string;
}

type Visit = { value: unknown; name?: string; parent?: Visit; depth: number };

const pathOf = (visit: Visit): string[] => {
  const path: string[] = [];
  for (let v: Visit | undefined = visit; v?.name !== undefined; v = v.parent) path.push(v.name);
  return path.reverse();
};

/**
 * Every string in `value` (a parsed JSON body, form fields, query parameters, nested objects and
 * arrays) that its rule refuses, in document order: values by `rules.values`, the names of
 * fields by `rules.names`. A field whose name is refused is not looked into; a value deeper than
 * `maxDepth` is a problem of its own ("Nested too deeply."). A loop, not recursion, without
 * copying paths until one is reported: a signed webhook body may nest deeply.
 */
export function* textProblems(
  value: unknown,
  rules: { values: TextKind; names: TextKind },
  maxDepth = Number.POSITIVE_INFINITY,
): Generator<TextProblemAt, void, undefined> {
  const pending: Visit[] = [{ value, depth: 0 }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    if (visit.name !== undefined) {
      const problem = textProblem(visit.name, rules.names);
      if (problem) {
        yield { path: pathOf(visit), inName: true, problem };
        continue;
      }
    }
    if (visit.depth > maxDepth) {
      yield { path: pathOf(visit), inName: false, problem: "Nested too deeply." };
    } else if (typeof visit.value === "string") {
      const problem = textProblem(visit.value, rules.values);
      if (problem) yield { path: pathOf(visit), inName: false, problem };
    } else if (typeof visit.value === "object" && visit.value !== null) {
      // Pushed last first, so the first field is looked at first.
      for (const [name, inner] of Object.entries(visit.value).reverse()) {
        pending.push({ value: inner, name, parent: visit, depth: visit.depth + 1 });
      }
    }
  }
}

/** `base` (a string schema) refusing what `kind` does not allow, with a message naming it. */
export function safeText<S extends z.ZodType<string>>(base: S, kind: TextKind = "line"): S {
  return base.superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

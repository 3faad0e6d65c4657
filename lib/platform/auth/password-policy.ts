import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

// Issue #18: a new password is long (NIST SP 800-63B asks at least 8; we ask 12) and not
// guessable: zxcvbn's estimate must reach score 3 ("safely unguessable", ~10^8 guesses or
// more), with the person's own e-mail and name counted as known words.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
const MIN_SCORE = 3;

// The dictionaries are a few MB of word lists: built once, on the first check.
let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

/** Words of the person's e-mail and name: a password built from them is easy to guess. */
function userInputs(person: { email?: string | undefined; name?: string | undefined }): string[] {
  const words = [person.email, person.name, ...(person.email ?? "").split(/[@._+-]/)];
  return [...new Set(words.filter((w): w is string => !!w && w.length >= 3))];
}

/**
 * Why `password` may not be a new password, in words a person can act on, or null when it
 * may. zxcvbn's warning says what is wrong ("Repeated characters like aaa are easy to guess"),
 * its suggestions say what to do instead.
 */
export function passwordProblem(
  password: string,
  person: { email?: string | undefined; name?: string | undefined } = {},
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  const result = zxcvbn().check(password, userInputs(person));
  if (result.score >= MIN_SCORE) return null;
  const { warning, suggestions } = result.feedback;
  return [
    "This password is too easy to guess.",
    warning,
    ...suggestions,
    suggestions.length === 0 ? "Add a few more uncommon words." : null,
  ]
    .filter(Boolean)
    .join(" ");
}

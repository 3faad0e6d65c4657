import { ulid } from "ulid";
import { z } from "zod";

const ID_PREFIXES = {
  tenant: "ten",
  user: "usr",
  membership: "mem",
  invite: "inv",
  session: "ses",
  request: "req",
  audit: "aud",
  checkpoint: "ckp",
  signingKey: "sgk",
  apiKey: "key",
  integration: "int",
  credential: "cred",
  vaultKey: "vkey",
  clientKey: "ckey",
  webhookEvent: "whe",
  delivery: "dlv",
  passkey: "pkey",
  recoveryCode: "rcv",
  webauthnChallenge: "wch",
  passwordReset: "pwr",
  ssoMapping: "sso",
  auditStream: "ast",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// ulid's own generator asks the platform for one random byte per character (16 calls per id,
// each a system call into the CSPRNG): a pool refilled 4 KiB at a time gives the same bytes
// from the same source. A byte / 256 picks one of 32 characters uniformly (ulid uses 5 bits).
const pool = new Uint8Array(4096);
let poolAt = pool.length;
const pooledRandom = () => {
  if (poolAt === pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return (pool[poolAt++] ?? 0) / 256;
};

/** Prefixed ULID: sortable by creation time, and the prefix tells what the id names. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid(undefined, pooledRandom)}`;
}

// A ULID is 26 characters of Crockford's base32 (no I, L, O, U), as ulid() writes them.
const ID_PATTERNS = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [
    kind,
    new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`),
  ]),
) as Record<IdKind, RegExp>;

/**
 * Whether `value` has the shape of an id of `kind`. Anything else names nothing, so it is
 * refused before it reaches a query (a NUL byte or a megabyte of text included).
 */
export function isId(kind: IdKind, value: string): boolean {
  return ID_PATTERNS[kind].test(value);
}

/** An id of `kind` in an API body or a form; `message` is the field's error otherwise. */
export const idSchema = (kind: IdKind, message = `Not a valid ${ID_PREFIXES[kind]}_… id.`) =>
  z.string(message).refine((value) => isId(kind, value), message);

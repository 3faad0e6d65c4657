import { ulid } from "ulid";

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
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** Prefixed ULID: sortable by creation time, and the prefix tells what the id names. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}

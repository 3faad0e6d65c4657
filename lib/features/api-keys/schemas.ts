import { z } from "zod";
import { labelSchema } from "@/lib/shared/label";
import { API_KEY_SCOPES } from "@/lib/shared/api-key-scopes";
import { formInteger } from "@/lib/shared/form-integer";
import { idSchema } from "@/lib/shared/ids";
import { safeText } from "@/lib/shared/text";
import { parseCidrList } from "@/lib/shared/cidr";
import { needsClientKey } from "./scopes";

/** Networks a key may be used from: text with one CIDR or address per line (empty: anywhere). */
const allowedNetworks = z
  .preprocess((v) => (v === undefined || v === null ? "" : v), safeText(z.string().max(4000)))
  .transform((text, ctx) => {
    const parsed = parseCidrList(text);
    if (!parsed.ok) {
      ctx.addIssue({
        code: "custom",
        message: `"${parsed.bad}" is not an IPv4 or IPv6 address or network (e.g. 203.0.113.0/24).`,
      });
      return z.NEVER;
    }
    if (parsed.cidrs.length > 100) {
      ctx.addIssue({ code: "custom", message: "At most 100 networks." });
      return z.NEVER;
    }
    return parsed.cidrs;
  });

const optionalRate = (what: string, max: number) =>
  formInteger(
    z
      .int(`Enter a whole number for the ${what}, or leave it empty for none.`)
      .min(1, "At least 1.")
      .max(max, `At most ${max}.`)
      .optional(),
  );

/** The key's own limits: both or neither. */
const ownLimits = {
  ratePerSecond: optionalRate("requests per second", 10_000),
  burst: optionalRate("burst", 100_000),
};
const bothOrNeither = (v: { ratePerSecond?: number | undefined; burst?: number | undefined }) =>
  (v.ratePerSecond === undefined) === (v.burst === undefined);
const BOTH_OR_NEITHER = {
  message: "Set both the rate and the burst, or neither.",
  path: ["burst"],
};

export const createApiKeySchema = z
  .object({
    name: labelSchema("Name the key (e.g. the service that uses it).", 80),
    environment: z.enum(["live", "test"]).default("live"),
    scopes: z
      .preprocess(
        (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
        z.array(z.string()),
      )
      .pipe(
        z
          .array(z.enum(API_KEY_SCOPES, "Unknown scope."))
          .min(1, "Choose at least one scope.")
          .transform((s) => [...new Set(s)]),
      ),
    /** The client's ML-KEM-768 public key, base64 (the console generates it in the browser). */
    clientPublicKey: z.preprocess(
      (v) => (v === "" ? undefined : v),
      safeText(z.string().max(4096, "That is not an ML-KEM-768 public key.")).optional(),
    ),
    expiresInDays: formInteger(
      z
        .int("Enter a whole number of days, or leave it empty for no expiry.")
        .min(1, "At least 1 day.")
        .max(3650, "At most 3650 days.")
        .optional(),
    ),
    allowedNetworks,
    ...ownLimits,
  })
  .refine(bothOrNeither, BOTH_OR_NEITHER)
  // Proxy answers are encrypted to the client key, so a proxy key without one could never read
  // them; other scopes answer plain JSON and need none (a key for a webhook receiver may still
  // bring one, which forwarding can encrypt to).
  .refine((v) => v.clientPublicKey !== undefined || !needsClientKey(v.scopes), {
    message:
      "A key with the proxy scope needs a client key pair: its answers are encrypted to it. Reload the page and try again.",
    path: ["clientPublicKey"],
    // Only once the rest is valid: the console always sends one with the proxy scope, so this
    // speaks to other callers, and a form's own mistakes come first.
    when: (payload) => payload.issues.length === 0,
  });

export const revokeApiKeySchema = z.object({ keyId: idSchema("apiKey", "Choose an API key.") });

export const updateApiKeyAccessSchema = z
  .object({
    keyId: idSchema("apiKey", "Choose an API key."),
    allowedNetworks,
    ...ownLimits,
  })
  .refine(bothOrNeither, BOTH_OR_NEITHER);

export const rollApiKeySchema = z.object({
  keyId: idSchema("apiKey", "Choose an API key."),
  /** How long the old secret keeps working (default 24 h; 0: not at all). */
  graceHours: formInteger(
    z
      .int("Enter a whole number of hours.")
      .min(0, "At least 0 hours.")
      .max(720, "At most 720 hours (30 days).")
      .default(24),
  ),
  expiresInDays: formInteger(
    z
      .int("Enter a whole number of days, or leave it empty to keep the key's expiry.")
      .min(1, "At least 1 day.")
      .max(3650, "At most 3650 days.")
      .optional(),
  ),
});

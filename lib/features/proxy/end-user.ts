import "server-only";
import { createHmac } from "node:crypto";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { tenantHmacKey } from "@/lib/platform/kms/local-kms";

// The person behind a send or a verification check, as the client names them (`end_user`):
// their IP address and an opaque id. Used for the per-end-user limits and the audit log, only
// as keyed hashes (like phone numbers); never sent to Twilio, never stored as given.

const ip = z
  .string()
  .max(45, "end_user.ip is an IPv4 or IPv6 address.")
  .refine(
    (v) => ipaddr.IPv4.isValidFourPartDecimal(v) || (ipaddr.IPv6.isValid(v) && !v.includes("%")),
    "end_user.ip is an IPv4 or IPv6 address.",
  );

export const endUserSchema = z
  .strictObject({
    ip: ip.optional(),
    id: z
      .string()
      .min(1, "end_user.id is 1 to 128 characters.")
      .max(128, "end_user.id is 1 to 128 characters.")
      .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, "end_user.id has no control characters.")
      .optional(),
  })
  .refine((u) => u.ip !== undefined || u.id !== undefined, {
    message: "end_user names an ip and/or an id.",
  });

export type EndUser = z.output<typeof endUserSchema>;

/** What the proxy keeps of an end user: keyed hashes (hex), each only when given. */
export type EndUserHashes = {
  /** The address (IPv4-mapped IPv6 as IPv4), for the audit log. */
  ipHash?: string;
  /** What the per-IP limit counts: the address, or for IPv6 its /64 (one subscriber's). */
  ipScopeHash?: string;
  idHash?: string;
};

const hash = (tenantId: string, value: string) =>
  createHmac("sha256", tenantHmacKey(tenantId, "end-user")).update(value).digest("hex");

export function endUserHashes(tenantId: string, endUser: EndUser | undefined): EndUserHashes {
  if (!endUser) return {};
  const out: EndUserHashes = {};
  if (endUser.ip !== undefined) {
    const address = ipaddr.process(endUser.ip);
    out.ipHash = hash(tenantId, `ip:${address.toString()}`);
    out.ipScopeHash =
      address.kind() === "ipv6"
        ? hash(tenantId, `ip64:${(address as ipaddr.IPv6).parts.slice(0, 4).join(":")}`)
        : out.ipHash;
  }
  if (endUser.id !== undefined) out.idHash = hash(tenantId, `id:${endUser.id}`);
  return out;
}

/** The audit details of an end user: the hashes, never the values. */
export const endUserDetails = (h: EndUserHashes) => ({
  ...(h.ipHash ? { end_user_ip_hash: h.ipHash } : {}),
  ...(h.idHash ? { end_user_id_hash: h.idHash } : {}),
});

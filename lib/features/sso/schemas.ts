import { z } from "zod";
import { ROLES } from "@/lib/platform/request-context/permissions";
import { idSchema } from "@/lib/shared/ids";

const roleSchema = z.enum(ROLES, "Choose one of: owner, admin, operator, auditor.");

// One DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A top-level domain is letters (or an IDNA xn-- label), never digits: no IP addresses.
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Why `domain` is not a mappable e-mail domain, or null when it is one. */
function domainProblem(domain: string): string | null {
  if (domain.includes("@")) return "Enter the domain only, without @ (example.com).";
  if (domain.includes("*")) return "Wildcards are not allowed: map each domain itself.";
  const labels = domain.split(".");
  const tld = labels.at(-1) ?? "";
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(tld)) {
    return "Enter an e-mail domain such as example.com.";
  }
  return null;
}

/** An e-mail domain as stored: trimmed, lower-case, a real host name. */
export const domainSchema = z
  .string("Enter an e-mail domain such as example.com.")
  .trim()
  .toLowerCase()
  .min(1, "Enter an e-mail domain such as example.com.")
  .max(253, "A domain has at most 253 characters.")
  .superRefine((value, ctx) => {
    const problem = domainProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A checkbox: present ("on") when ticked, absent when not. */
const requireSsoSchema = z
  .literal("on", "Tick the box or leave it empty.")
  .optional()
  .transform((v) => v === "on");

const mappingId = idSchema("ssoMapping", "Choose a mapping.");

export const addMappingSchema = z.object({
  domain: domainSchema,
  role: roleSchema,
  requireSso: requireSsoSchema,
});

export const changeMappingSchema = z.object({
  mappingId,
  role: roleSchema,
  requireSso: requireSsoSchema,
});

export const mappingIdSchema = z.object({ mappingId });

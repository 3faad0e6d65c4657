import { z } from "zod";
import { idSchema } from "@/lib/shared/ids";

/**
 * Replay one delivery of an integration, or every dead-lettered one. Ids of their kind only:
 * anything else names nothing (and a phone number in the audit event would be refused).
 */
export const replaySchema = z.object({
  integrationId: idSchema("integration", "Choose an integration."),
  deliveryId: idSchema("delivery", "Choose a delivery.").optional(),
});

/** Bind the client key forwarded envelopes are encrypted to (and make a new secret). */
export const forwardingSchema = z.object({
  integrationId: idSchema("integration", "Choose an integration."),
  clientKeyId: idSchema("clientKey", "Choose the receiver's client key."),
  /** How long the replaced secret keeps signing (0: at once, for a leaked secret). */
  graceHours: z
    .enum(["0", "1", "24", "72", "168"], "Choose how long the old secret keeps signing.")
    .default("24")
    .transform(Number),
});

/** Turn forwarding back on after it was disabled (410 Gone, or failing too long). */
export const enableForwardingSchema = z.object({
  integrationId: idSchema("integration", "Choose an integration."),
});

/** Turn on, regenerate or turn off the HTTP Basic credentials of an integration's intake URLs. */
export const intakeAuthSchema = z.object({
  integrationId: idSchema("integration", "Choose an integration."),
});

import { z } from "zod";

/** Replay one delivery of an integration, or every dead-lettered one. */
export const replaySchema = z.object({
  integrationId: z.string().min(1).max(64),
  deliveryId: z.string().max(64).optional(),
});

/** Bind the client key forwarded envelopes are encrypted to (and make a new secret). */
export const forwardingSchema = z.object({
  integrationId: z.string().min(1).max(64),
  clientKeyId: z.string().min(1, "Choose the receiver's client key.").max(64),
  /** How long the replaced secret keeps signing (0: at once, for a leaked secret). */
  graceHours: z
    .enum(["0", "1", "24", "72", "168"], "Choose how long the old secret keeps signing.")
    .default("24")
    .transform(Number),
});

/** Turn forwarding back on after it was disabled (410 Gone, or failing too long). */
export const enableForwardingSchema = z.object({ integrationId: z.string().min(1).max(64) });

/** Turn on, regenerate or turn off the HTTP Basic credentials of an integration's intake URLs. */
export const intakeAuthSchema = z.object({ integrationId: z.string().min(1).max(64) });

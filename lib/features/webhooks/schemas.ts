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
});

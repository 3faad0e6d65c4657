import { z } from "zod";
import { idSchema } from "@/lib/shared/ids";
import { safeText } from "@/lib/shared/text";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = (max: number, message: string) =>
  safeText(z.string(message).trim().min(1, message).max(max));
const url = safeText(z.url("Enter an https:// URL.").max(500));

/** Where the first delivery starts: events from now on, or every event still kept. */
const startFrom = z.enum(["now", "beginning"]).default("now");
const name = text(80, "Give the stream a name.");

/** A new stream, one shape per kind (the form sends only the fields of the chosen kind). */
export const createStreamSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("webhook"), name, startFrom, url }),
    z.object({
      kind: z.literal("splunk"),
      name,
      startFrom,
      url,
      token: text(200, "Enter the HTTP Event Collector token."),
      index: z.preprocess(emptyAsUndefined, safeText(z.string().trim().max(80)).optional()),
    }),
    z.object({
      kind: z.literal("s3"),
      name,
      startFrom,
      endpoint: z.preprocess(emptyAsUndefined, url.optional()),
      region: text(40, "Enter the bucket's region (us-east-1 for most S3-compatible stores)."),
      bucket: safeText(
        z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "Enter a bucket name (3–63 characters)."),
      ),
      prefix: z.preprocess(
        (v) => (typeof v === "string" ? v.trim().replace(/^\/+|\/+$/g, "") : v),
        safeText(
          z
            .string()
            .max(200)
            .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "Letters, digits, / and - _ . ! * ' ( ) only."),
        ).default("pqseal-audit"),
      ),
      accessKeyId: text(128, "Enter the access key id."),
      secretAccessKey: text(256, "Enter the secret access key."),
      forcePathStyle: z
        .literal("on")
        .optional()
        .transform((v) => v === "on"),
    }),
  ],
  { error: "Choose where to stream: webhook, splunk or s3." },
);
export type CreateStreamInput = z.output<typeof createStreamSchema>;

export const streamIdSchema = z.object({ streamId: idSchema("auditStream") });

export const setStreamEnabledSchema = streamIdSchema.extend({
  enabled: z.enum(["true", "false"]).transform((v) => v === "true"),
});

/** A webhook stream gets a new secret made here; Splunk and S3 streams take the new one given. */
export const rotateStreamSecretSchema = streamIdSchema.extend({
  secret: z.preprocess(emptyAsUndefined, safeText(z.string().trim().max(256)).optional()),
});

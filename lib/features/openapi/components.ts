import { z } from "zod";

// The schemas every route shares; document.ts names them (components/schemas), so the JSON
// Schema of a route refers to them by $ref instead of repeating them.

const base64 = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .describe(`${what}, canonical standard base64.`);

/** docs/ENVELOPE.md §2: the signed, encrypted answer of the proxy (and of webhook forwards). */
export const hybridCryptoEnvelopeSchema = z
  .object({
    version: z.literal(1),
    success: z.boolean().describe("true: the payload holds `data`; false: it holds `error`."),
    request_id: z
      .string()
      .describe("The client's X-Client-Request-Id when sent, else the server's req_… id."),
    issued_at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      .describe("When the envelope was built (UTC, milliseconds)."),
    audit_event_id: z.string().min(1).nullable().describe("The aud_… event of this call."),
    encrypted: z.object({
      algorithm: z.literal("ML-KEM-768"),
      tenant_id: z.string(),
      recipient_key_id: z.string().describe("The ckey_… client key the payload is encrypted to."),
      ciphertext_kem: base64("ML-KEM-768 ciphertext (1088 bytes)"),
      nonce: base64("AES-256-GCM nonce (12 bytes)"),
      ciphertext_data: base64("AES-256-GCM ciphertext and 16-byte tag of the JSON payload"),
    }),
    signature: z.object({
      algorithm: z.literal("ML-DSA-65+HMAC-SHA-512"),
      tenant_id: z.string(),
      signing_key_id: z.string().describe("The sgk_… tenant key that signed (GET /api/v2/keys)."),
      pqc_signature: base64("ML-DSA-65 signature (3309 bytes)"),
      hmac_signature: base64("HMAC-SHA-512 (64 bytes)"),
    }),
  })
  .describe(
    "A signed (ML-DSA-65 and HMAC-SHA-512), encrypted (ML-KEM-768 + AES-256-GCM) answer. Verify and open it as docs/ENVELOPE.md §7 says (the SDK does); unknown extra members are not signed and must be ignored.",
  );

/** RFC 9457 problem details, with PQSeal's stable `code` and `remediation` as extensions. */
export const problemDetailsSchema = z
  .object({
    type: z
      .string()
      .regex(/^\/api-reference#error-[a-z0-9_]+$/)
      .describe("Where the error code is explained: /api-reference#error-<code>."),
    title: z.string().min(1).describe("A short human title of the code."),
    status: z.int().min(400).max(599).describe("The HTTP status, repeated."),
    detail: z.string().describe("What went wrong with this request."),
    instance: z
      .string()
      .regex(/^urn:pqseal:request:/)
      .describe("urn:pqseal:request:<request id>"),
    code: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .describe("The stable machine code to branch on."),
    remediation: z.string().optional().describe("What to do about it."),
    request_id: z.string().describe("The request id, also in the X-Request-Id header."),
    fields: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe("Validation errors by field (dotted path; `_` for the input as a whole)."),
  })
  .describe("Every error PQSeal answers itself (RFC 9457, application/problem+json).");

/** The pagination members of every list answer (the list itself is under its plural key). */
export const paginationSchema = z
  .object({
    next_cursor: z
      .string()
      .nullable()
      .describe("Send as ?cursor= to get the next page; null on the last page."),
    has_more: z.boolean().describe("Whether another page follows."),
  })
  .describe("Cursor pagination: ?limit=1–200 (50) and ?cursor=.");

/** A list answer: `{ <key>: [item…], next_cursor, has_more }`. */
export const listOf = <T extends z.ZodType>(key: string, item: T) =>
  z.object({ [key]: z.array(item), ...paginationSchema.shape });

import "server-only";
import type twilio from "twilio";
import { z } from "zod";
import type { Integration } from "@/db/schema";
import { AppError } from "@/lib/platform/errors/app-error";
import { parseInput } from "@/lib/platform/http/parse-input";
import { parsePhone, type ParsedPhone } from "@/lib/platform/phone/parse";
import { toE164 } from "@/lib/shared/phone";
import { safeText } from "@/lib/shared/text";
import { twilioSid } from "@/lib/shared/twilio-sid";
import type { Operation } from "@/lib/features/integrations/schemas";
import { endUserHashes, endUserSchema, type EndUserHashes } from "./end-user";
import { lookupNumber } from "./line-type";

// Payload schemas and the Twilio call of each operation. Phone numbers are parsed to E.164 by
// lib/platform/phone/parse.ts; anything else is validated with zod before Twilio is called.

const https = z
  .url("Must be a URL.")
  .max(2000)
  .refine((u) => u.startsWith("https://"), "Only https URLs are accepted.");

const schemas = {
  send_sms: z
    .strictObject({
      to: z.string().max(32),
      from: z.string().max(32).optional(),
      messaging_service_sid: twilioSid("MG", "messaging_service_sid").optional(),
      body: safeText(
        z.string().min(1, "body is empty.").max(1600, "body is at most 1600 characters."),
        "message",
      ).optional(),
      media_url: z.union([https, z.array(https).min(1).max(10)]).optional(),
      end_user: endUserSchema.optional(),
    })
    .refine((p) => p.body !== undefined || p.media_url !== undefined, {
      message: "Send a body and/or a media_url.",
    }),
  make_call: z
    .strictObject({
      to: z.string().max(32),
      from: z.string().max(32).optional(),
      twiml: safeText(
        z.string().min(1).max(4000, "twiml is at most 4000 characters."),
        "message",
      ).optional(),
      url: https.optional(),
      end_user: endUserSchema.optional(),
    })
    .refine((p) => (p.twiml === undefined) !== (p.url === undefined), {
      message: "Send exactly one of twiml or url.",
    }),
  create_verification: z.strictObject({
    to: safeText(z.string().max(254)),
    channel: z.enum(
      ["sms", "call", "email", "whatsapp"],
      "channel is sms, call, email or whatsapp.",
    ),
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, "locale is a language tag such as en or pt-BR.")
      .optional(),
    end_user: endUserSchema.optional(),
  }),
  check_verification: z
    .strictObject({
      to: safeText(z.string().max(254)).optional(),
      verification_sid: twilioSid("VE", "verification_sid").optional(),
      code: z.string().regex(/^\d{4,10}$/, "code is 4 to 10 digits."),
      end_user: endUserSchema.optional(),
    })
    .refine((p) => p.to !== undefined || p.verification_sid !== undefined, {
      message: "Send to or verification_sid.",
    }),
  fetch_verification: z.strictObject({
    verification_sid: twilioSid("VE", "verification_sid"),
  }),
  cancel_verification: z.strictObject({
    verification_sid: twilioSid("VE", "verification_sid"),
  }),
  list_messages: z.strictObject({
    to: z.string().max(32).optional(),
    from: z.string().max(32).optional(),
    date_sent_after: z.iso.date("date_sent_after is YYYY-MM-DD.").optional(),
    date_sent_before: z.iso.date("date_sent_before is YYYY-MM-DD.").optional(),
    page_size: z.number().int().min(1).max(1000, "page_size is at most 1000.").default(50),
    page_token: z.string().max(500).optional(),
  }),
  lookup_number: z.strictObject({
    phone_number: z.string().max(32),
  }),
} satisfies Record<Operation, z.ZodType>;

type Payloads = { [K in Operation]: z.output<(typeof schemas)[K]> };

export type Prepared = {
  /** Validated payload with numbers in E.164. */
  payload: Record<string, unknown>;
  /** The phone destination this call reaches (geo permissions, limits, audit), if any. */
  destination?: ParsedPhone;
  /** For check_verification without a number: the per-destination limit is keyed by SID. */
  limitKey?: string;
  /** Why the sender the call names is not allowed (sender_not_allowed, audited), if it is not. */
  senderRefused?: string;
  /**
   * The payload's `end_user`, as keyed hashes (limits, audit). The payload above and the Twilio
   * call never carry it.
   */
  endUser: EndUserHashes;
  call: (client: twilio.Twilio) => Promise<unknown>;
};

function validate<K extends Operation>(operation: K, payload: unknown): Payloads[K] {
  return parseInput(schemas[operation], payload, {
    prefix: "payload",
    message: `The ${operation} payload is not valid:`,
  }) as Payloads[K];
}

function verifyService(integration: Integration) {
  if (!integration.verifyServiceSid) {
    throw new AppError("invalid_input", "This integration has no Verify service SID.", {
      remediation: "An admin sets verify_service_sid (VA…) on the integration.",
    });
  }
  return integration.verifyServiceSid;
}

type Sender = { from: string } | { messagingServiceSid: string };

/**
 * Who a message or call comes from. A caller may name a sender only if it is one the
 * integration is configured with (its `default_from` number, its Messaging Service); any other
 * would let an API key send as every number on the Twilio account. Naming none uses the
 * configured one. An integration with no sender configured cannot send (default deny, like its
 * operations and countries): the admin sets `default_from` or `messaging_service_sid`.
 * Calls have no Messaging Service: their caller id is `default_from`.
 */
function senderFor(
  integration: Integration,
  named: { from?: string | undefined; messagingServiceSid?: string | undefined },
  channel: "sms" | "call",
): Sender | { refused: string } {
  const ownFrom = integration.defaultFrom
    ? (toE164(integration.defaultFrom) ?? integration.defaultFrom)
    : null;
  const ownService = channel === "sms" ? integration.messagingServiceSid : null;
  if (!ownFrom && !ownService) {
    return {
      refused:
        channel === "sms"
          ? "This integration has no sender: it has neither default_from nor messaging_service_sid."
          : "This integration has no caller id: it has no default_from.",
    };
  }
  if (named.from !== undefined && parsePhone(named.from, "payload.from").e164 !== ownFrom) {
    return { refused: "payload.from is not this integration's sender number." };
  }
  const service = named.messagingServiceSid;
  if (service !== undefined && service.toLowerCase() !== ownService?.toLowerCase()) {
    return {
      refused: "payload.messaging_service_sid is not this integration's Messaging Service.",
    };
  }
  if (ownFrom && (named.from !== undefined || service === undefined)) return { from: ownFrom };
  if (ownService) return { messagingServiceSid: ownService };
  return { refused: "This integration has no sender." }; // (unreachable: checked above)
}

const pick = (o: object, keys: string[]) => {
  const r = o as Record<string, unknown>;
  return Object.fromEntries(
    keys.map((k) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), r[k] ?? null]),
  );
};
const MESSAGE_FIELDS = [
  "sid",
  "status",
  "to",
  "from",
  "messagingServiceSid",
  "body",
  "numSegments",
  "numMedia",
  "direction",
  "dateCreated",
  "dateSent",
  "errorCode",
  "errorMessage",
  "price",
  "priceUnit",
];
const CALL_FIELDS = ["sid", "status", "to", "from", "direction", "dateCreated"];
const VERIFICATION_FIELDS = [
  "sid",
  "serviceSid",
  "to",
  "channel",
  "status",
  "valid",
  "dateCreated",
  "dateUpdated",
];

function pageToken(nextPageUrl: string | undefined): string | null {
  if (!nextPageUrl) return null;
  const url = new URL(nextPageUrl, "https://api.twilio.com");
  const token = url.searchParams.get("PageToken");
  const page = url.searchParams.get("Page");
  return token
    ? Buffer.from(JSON.stringify({ t: token, p: Number(page ?? 0) })).toString("base64url")
    : null;
}

function readPageToken(token: string | undefined) {
  if (!token) return {};
  try {
    const { t, p } = JSON.parse(Buffer.from(token, "base64url").toString()) as {
      t: string;
      p: number;
    };
    if (typeof t !== "string" || typeof p !== "number") throw new Error("shape");
    return { pageToken: t, pageNumber: p };
  } catch {
    throw new AppError("invalid_input", "payload.page_token is not a token from a previous page.");
  }
}

/** Validates the payload for `operation` and prepares its Twilio call. */
export function prepare(operation: Operation, raw: unknown, integration: Integration): Prepared {
  switch (operation) {
    case "send_sms": {
      const { end_user: endUser, ...p } = validate("send_sms", raw);
      const to = parsePhone(p.to, "payload.to");
      const sender = senderFor(
        integration,
        { from: p.from, messagingServiceSid: p.messaging_service_sid },
        "sms",
      );
      const mediaUrl = p.media_url === undefined ? undefined : [p.media_url].flat();
      const refused = "refused" in sender;
      return {
        payload: { ...p, to: to.e164 },
        endUser: endUserHashes(integration.tenantId, endUser),
        destination: to,
        ...(refused ? { senderRefused: sender.refused } : {}),
        call: async (client) =>
          pick(
            await client.messages.create({
              to: to.e164,
              ...(refused ? {} : sender),
              ...(p.body !== undefined ? { body: p.body } : {}),
              ...(mediaUrl ? { mediaUrl } : {}),
            }),
            MESSAGE_FIELDS,
          ),
      };
    }
    case "make_call": {
      const { end_user: endUser, ...p } = validate("make_call", raw);
      const to = parsePhone(p.to, "payload.to");
      const sender = senderFor(integration, { from: p.from }, "call");
      const from = "from" in sender ? sender.from : "";
      return {
        payload: { ...p, to: to.e164 },
        endUser: endUserHashes(integration.tenantId, endUser),
        destination: to,
        ...("refused" in sender ? { senderRefused: sender.refused } : {}),
        call: async (client) =>
          pick(
            await client.calls.create({
              to: to.e164,
              from,
              ...(p.twiml !== undefined ? { twiml: p.twiml } : { url: p.url ?? "" }),
            }),
            CALL_FIELDS,
          ),
      };
    }
    case "create_verification": {
      const { end_user: endUser, ...p } = validate("create_verification", raw);
      const service = verifyService(integration);
      const email = p.channel === "email";
      if (email && !z.email().safeParse(p.to).success) {
        throw new AppError(
          "invalid_input",
          "payload.to must be an e-mail address for the email channel.",
        );
      }
      const to = email ? undefined : parsePhone(p.to, "payload.to");
      const target = to?.e164 ?? p.to;
      return {
        payload: { ...p, to: target },
        endUser: endUserHashes(integration.tenantId, endUser),
        ...(to ? { destination: to } : { limitKey: `email:${p.to.toLowerCase()}` }),
        call: async (client) =>
          pick(
            await client.verify.v2.services(service).verifications.create({
              to: target,
              channel: p.channel,
              ...(p.locale ? { locale: p.locale } : {}),
            }),
            VERIFICATION_FIELDS,
          ),
      };
    }
    case "check_verification": {
      const { end_user: endUser, ...p } = validate("check_verification", raw);
      const service = verifyService(integration);
      const to = p.to && !p.to.includes("@") ? parsePhone(p.to, "payload.to") : undefined;
      return {
        payload: { ...p, ...(to ? { to: to.e164 } : {}) },
        endUser: endUserHashes(integration.tenantId, endUser),
        ...(to ? { destination: to } : { limitKey: p.verification_sid ?? `email:${p.to ?? ""}` }),
        call: async (client) =>
          pick(
            await client.verify.v2.services(service).verificationChecks.create({
              code: p.code,
              ...(to ? { to: to.e164 } : p.to ? { to: p.to } : {}),
              ...(p.verification_sid ? { verificationSid: p.verification_sid } : {}),
            }),
            VERIFICATION_FIELDS,
          ),
      };
    }
    case "fetch_verification":
    case "cancel_verification": {
      const p = validate(operation, raw);
      const service = verifyService(integration);
      return {
        payload: p,
        endUser: {},
        call: async (client) => {
          const v = client.verify.v2.services(service).verifications(p.verification_sid);
          const result =
            operation === "fetch_verification"
              ? await v.fetch()
              : await v.update({ status: "canceled" });
          return pick(result, VERIFICATION_FIELDS);
        },
      };
    }
    case "list_messages": {
      const p = validate("list_messages", raw);
      const to = p.to ? parsePhone(p.to, "payload.to").e164 : undefined;
      const from = p.from ? parsePhone(p.from, "payload.from").e164 : undefined;
      const paging = readPageToken(p.page_token);
      return {
        payload: { ...p, ...(to ? { to } : {}), ...(from ? { from } : {}) },
        endUser: {},
        call: async (client) => {
          const page = await client.messages.page({
            ...(to ? { to } : {}),
            ...(from ? { from } : {}),
            ...(p.date_sent_after
              ? { dateSentAfter: new Date(`${p.date_sent_after}T00:00:00Z`) }
              : {}),
            ...(p.date_sent_before
              ? { dateSentBefore: new Date(`${p.date_sent_before}T00:00:00Z`) }
              : {}),
            pageSize: p.page_size,
            ...paging,
          });
          return {
            messages: page.instances.map((m) => pick(m, MESSAGE_FIELDS)),
            next_page_token: pageToken(page.nextPageUrl),
          };
        },
      };
    }
    case "lookup_number": {
      const p = validate("lookup_number", raw);
      const number = parsePhone(p.phone_number, "payload.phone_number");
      return {
        payload: { phone_number: number.e164 },
        endUser: {},
        // The audit event keeps the number as elsewhere: its keyed hash and last two digits.
        destination: number,
        call: (client) => lookupNumber(client, number.e164),
      };
    }
  }
}

/** The Twilio SID to record in the audit event, from a result. */
export function sidOf(result: unknown): string | null {
  const sid = (result as { sid?: unknown } | null)?.sid;
  return typeof sid === "string" ? sid : null;
}

export function statusOf(result: unknown): string | null {
  const status = (result as { status?: unknown } | null)?.status;
  return typeof status === "string" ? status : null;
}

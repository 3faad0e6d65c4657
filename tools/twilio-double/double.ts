// A stateful Twilio test double: Messages (create, list with paging), Calls (create), Verify v2
// (verifications with a code, 10-minute expiry, 5 check attempts, statuses), Lookup v2 (line
// type intelligence, decided by the number: LINE_TYPES), Basic-auth checks, the account fetch,
// and Twilio's documented magic test numbers as error triggers. Tests and local runs point the
// proxy at it (TWILIO_API_BASE_URL / TWILIO_VERIFY_BASE_URL / TWILIO_LOOKUP_BASE_URL); it never
// talks to Twilio.
import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type DoubleAccount = {
  sid: string;
  authToken: string;
  apiKeys?: { sid: string; secret: string }[];
};

type Message = Record<string, unknown> & { sid: string; to: string; from: string | null };
type Verification = {
  sid: string;
  serviceSid: string;
  accountSid: string;
  to: string;
  channel: string;
  code: string;
  status: "pending" | "approved" | "canceled" | "max_attempts_reached" | "expired";
  checks: number;
  createdAt: number;
  updatedAt: number;
};

/** Error triggers, as in Twilio's test-credentials documentation (plus two of our own). */
const TO_ERRORS: Record<string, [number, number, string]> = {
  "+15005550001": [400, 21211, "The 'To' number +15005550001 is not a valid phone number."],
  "+15005550002": [400, 21612, "The 'To' phone number is not currently reachable via SMS."],
  "+15005550003": [400, 21408, "Permission to send an SMS has not been enabled for the region."],
  "+15005550004": [400, 21610, "Attempt to send to unsubscribed recipient"],
  "+15005550009": [400, 21614, "'To' number is not a valid mobile number"],
  "+15005550500": [500, 20500, "Internal Server Error"],
};
const SLOW_NUMBER = "+15005550100"; // answers after 8 s (timeouts)
const UNVERIFIED_NUMBER = "+15005550008"; // trial account: 21608
const VERIFY_TTL_MS = 10 * 60_000;
/** Verify answers five checks of one verification; a sixth is refused (60202) until it expires. */
const VERIFY_MAX_CHECKS = 5;
/**
 * Lookup v2's line type by the number's last four digits (our own convention: Twilio has no
 * magic numbers for Lookup): …0001 landline, …0002 nonFixedVoip, …0003 fixedVoip, …0004
 * tollFree; any other number is a mobile.
 */
const LINE_TYPES: Record<string, [type: string, carrier: string]> = {
  "0001": ["landline", "Double Landline Co"],
  "0002": ["nonFixedVoip", "Double VoIP Inc"],
  "0003": ["fixedVoip", "Double Cable VoIP"],
  "0004": ["tollFree", "Double Toll Free"],
};
const MOBILE: [string, string] = ["mobile", "Double Mobile"];

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace("GMT", "+0000");

export type TwilioDouble = {
  url: string;
  server: Server;
  requests: { method: string; path: string; params: Record<string, string> }[];
  messages: Message[];
  codeFor(to: string): string | undefined;
  close(): Promise<void>;
};

export async function startTwilioDouble(
  options: { port?: number; accounts: DoubleAccount[]; host?: string } = { accounts: [] },
): Promise<TwilioDouble> {
  const requests: TwilioDouble["requests"] = [];
  const messages: Message[] = [];
  const verifications: Verification[] = [];
  const sendsByTo = new Map<string, number[]>();

  function authenticate(req: IncomingMessage, accountSid: string | undefined) {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Basic ")) return null;
    const [user, pass] = Buffer.from(header.slice(6), "base64").toString().split(":");
    for (const a of options.accounts) {
      if (accountSid && a.sid !== accountSid) continue;
      if (user === a.sid && pass === a.authToken) return a;
      if (a.apiKeys?.some((k) => k.sid === user && k.secret === pass)) return a;
    }
    return null;
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(text);
  }
  const fail = (res: ServerResponse, status: number, code: number, message: string) =>
    send(res, status, {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    });

  function messageJson(m: Message) {
    return m;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://double");
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const params: Record<string, string> = {};
      for (const [k, v] of [...url.searchParams, ...form]) params[k] = v;
      const path = url.pathname;
      if (!path.startsWith("/__control")) requests.push({ method: req.method ?? "", path, params });
      void route(req, res, path, params, url).catch((error: unknown) => {
        send(res, 500, { message: String(error) });
      });
    });
  });

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    params: Record<string, string>,
    url: URL,
  ) {
    if (path === "/__control/verification-code") {
      const v = [...verifications].reverse().find((x) => x.to === url.searchParams.get("to"));
      return send(res, v ? 200 : 404, { code: v?.code ?? null });
    }
    if (path === "/__control/requests") return send(res, 200, { requests });
    if (path === "/__control/health") return send(res, 200, { ok: true });

    const api = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/(Messages|Calls)\.json$/.exec(path);
    const verify =
      /^\/v2\/Services\/(VA[0-9a-f]{32})\/(Verifications|VerificationCheck)(?:\/(VE[0-9a-f]{32}))?$/.exec(
        path,
      );
    const lookup = /^\/v2\/PhoneNumbers\/([^/]+)$/.exec(path);
    const accountSid = api?.[1];
    const account = authenticate(req, accountSid);
    if (!account) {
      res.setHeader("www-authenticate", 'Basic realm="Twilio API"');
      return fail(res, 401, 20003, "Authenticate");
    }

    // Account fetch, which PQSeal's vault makes before sealing: the Auth Token or an API key of
    // a configured account authenticates (checked above); another account's SID is 20404.
    const accountFetch = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\.json$/.exec(path);
    if (accountFetch && req.method === "GET") {
      if (accountFetch[1] !== account.sid) {
        return fail(res, 404, 20404, `The requested resource ${path} was not found`);
      }
      const created = rfc2822(Date.UTC(2024, 0, 1));
      return send(res, 200, {
        auth_token: account.authToken,
        date_created: created,
        date_updated: created,
        friendly_name: "Double account",
        owner_account_sid: account.sid,
        sid: account.sid,
        status: "active",
        subresource_uris: {},
        type: "Full",
        uri: `/2010-04-01/Accounts/${account.sid}.json`,
      });
    }

    if (api && api[2] === "Messages" && req.method === "POST") {
      const to = params.To ?? "";
      if (!to) return fail(res, 400, 21604, "A 'To' phone number is required.");
      if (!params.From && !params.MessagingServiceSid) {
        return fail(res, 400, 21603, "A 'From' phone number is required.");
      }
      if (!params.Body && !params.MediaUrl) {
        return fail(res, 400, 21602, "Message body is required.");
      }
      if (to === SLOW_NUMBER) await new Promise((r) => setTimeout(r, 8000));
      const err = TO_ERRORS[to];
      if (err) return fail(res, err[0], err[1], err[2]);
      if (to === UNVERIFIED_NUMBER) {
        return fail(
          res,
          400,
          21608,
          "The number is unverified. Trial accounts cannot send messages to unverified numbers.",
        );
      }
      const now = Date.now();
      const message: Message = {
        account_sid: account.sid,
        api_version: "2010-04-01",
        body: params.Body ?? "",
        date_created: rfc2822(now),
        date_sent: rfc2822(now),
        date_updated: rfc2822(now),
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from: params.From ?? null,
        messaging_service_sid: params.MessagingServiceSid ?? null,
        num_media: params.MediaUrl ? "1" : "0",
        num_segments: "1",
        price: null,
        price_unit: "USD",
        sid: sid("SM"),
        status: params.MessagingServiceSid ? "accepted" : "queued",
        subresource_uris: {},
        to,
        uri: "",
      };
      message.uri = `/2010-04-01/Accounts/${account.sid}/Messages/${message.sid}.json`;
      messages.push(message);
      return send(res, 201, messageJson(message));
    }

    if (api && api[2] === "Messages" && req.method === "GET") {
      const pageSize = Math.min(Number(params.PageSize ?? 50), 1000);
      const offset = Number((params.PageToken ?? "PA0").slice(2)) || 0;
      const after = params["DateSent>"] ? Date.parse(params["DateSent>"]) : -Infinity;
      const before = params["DateSent<"] ? Date.parse(params["DateSent<"]) : Infinity;
      const matching = messages
        .filter((m) => m.account_sid === account.sid)
        .filter((m) => !params.To || m.to === params.To)
        .filter((m) => !params.From || m.from === params.From)
        .filter((m) => {
          const t = Date.parse(String(m.date_sent));
          return t >= after && t < before + 86_400_000;
        })
        .reverse();
      const page = matching.slice(offset, offset + pageSize);
      const base = `/2010-04-01/Accounts/${account.sid}/Messages.json`;
      const pageNumber = Math.floor(offset / pageSize);
      const next =
        offset + pageSize < matching.length
          ? `${base}?PageSize=${pageSize}&Page=${pageNumber + 1}&PageToken=PA${offset + pageSize}`
          : null;
      return send(res, 200, {
        messages: page,
        page: pageNumber,
        page_size: pageSize,
        start: offset,
        end: offset + page.length - 1,
        uri: `${base}?PageSize=${pageSize}&Page=${pageNumber}`,
        first_page_uri: `${base}?PageSize=${pageSize}&Page=0`,
        next_page_uri: next,
        previous_page_uri: null,
      });
    }

    if (api && api[2] === "Calls" && req.method === "POST") {
      const to = params.To ?? "";
      if (!to || !params.From) return fail(res, 400, 21201, "No 'To' or 'From' number specified");
      if (!params.Twiml && !params.Url) {
        return fail(res, 400, 21205, "Either Url or Twiml is required.");
      }
      const err = TO_ERRORS[to];
      if (err) return fail(res, err[0], err[1] === 21211 ? 21211 : err[1], err[2]);
      const now = Date.now();
      return send(res, 201, {
        sid: sid("CA"),
        account_sid: account.sid,
        to,
        from: params.From,
        status: "queued",
        direction: "outbound-api",
        date_created: rfc2822(now),
        date_updated: rfc2822(now),
        api_version: "2010-04-01",
        uri: "",
      });
    }

    if (lookup && req.method === "GET") {
      const number = decodeURIComponent(lookup[1] ?? "");
      const valid = /^\+[1-9]\d{6,14}$/.test(number);
      const fields = (params.Fields ?? "").split(",");
      const [type, carrier] = LINE_TYPES[number.slice(-4)] ?? MOBILE;
      return send(res, 200, {
        calling_country_code: valid && number.startsWith("+1") ? "1" : null,
        country_code: valid && number.startsWith("+1") ? "US" : null,
        phone_number: number,
        national_format: valid ? number : null,
        valid,
        validation_errors: valid ? [] : ["INVALID_LENGTH"],
        caller_name: null,
        sim_swap: null,
        call_forwarding: null,
        line_status: null,
        line_type_intelligence:
          valid && fields.includes("line_type_intelligence")
            ? {
                mobile_country_code: type === "mobile" ? "310" : null,
                mobile_network_code: type === "mobile" ? "260" : null,
                carrier_name: carrier,
                type,
                error_code: null,
              }
            : null,
        identity_match: null,
        reassigned_number: null,
        sms_pumping_risk: null,
        phone_number_quality_score: null,
        pre_fill: null,
        url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(number)}`,
      });
    }

    if (verify) {
      const [, serviceSid = "", kind, verificationSid] = verify;
      const now = Date.now();
      for (const v of verifications) {
        const live = v.status === "pending" || v.status === "max_attempts_reached";
        if (live && now - v.createdAt > VERIFY_TTL_MS) v.status = "expired";
      }
      const json = (v: Verification) => ({
        sid: v.sid,
        service_sid: v.serviceSid,
        account_sid: v.accountSid,
        to: v.to,
        channel: v.channel,
        status: v.status,
        valid: v.status === "approved",
        lookup: {},
        amount: null,
        payee: null,
        send_code_attempts: [],
        date_created: new Date(v.createdAt).toISOString(),
        date_updated: new Date(v.updatedAt).toISOString(),
        sna: null,
        url: `https://verify.twilio.com/v2/Services/${v.serviceSid}/Verifications/${v.sid}`,
      });
      if (kind === "Verifications" && !verificationSid && req.method === "POST") {
        const to = params.To ?? "";
        const channel = params.Channel ?? "";
        if (!to || !["sms", "call", "email", "whatsapp"].includes(channel)) {
          return fail(res, 400, 60200, "Invalid parameter");
        }
        const err = TO_ERRORS[to];
        if (err && err[1] === 21211) return fail(res, 400, 60200, "Invalid parameter `To`");
        const recent = (sendsByTo.get(to) ?? []).filter((t) => now - t < VERIFY_TTL_MS);
        if (recent.length >= 5) return fail(res, 429, 60203, "Max send attempts reached");
        sendsByTo.set(to, [...recent, now]);
        let v = verifications.find(
          (x) => x.to === to && x.serviceSid === serviceSid && x.status === "pending",
        );
        if (!v) {
          v = {
            sid: sid("VE"),
            serviceSid,
            accountSid: account.sid,
            to,
            channel,
            code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
            status: "pending",
            checks: 0,
            createdAt: now,
            updatedAt: now,
          };
          verifications.push(v);
        }
        return send(res, 201, json(v));
      }
      if (kind === "Verifications" && verificationSid) {
        const v = verifications.find(
          (x) => x.sid === verificationSid && x.serviceSid === serviceSid,
        );
        if (!v) return fail(res, 404, 20404, "The requested resource was not found");
        // Twilio deletes a verification once approved, expired or out of check attempts.
        const gone = ["approved", "expired", "max_attempts_reached"].includes(v.status);
        if (gone && req.method === "GET") {
          return fail(res, 404, 20404, "The requested resource was not found");
        }
        if (req.method === "POST") {
          if (params.Status !== "canceled" && params.Status !== "approved") {
            return fail(res, 400, 60200, "Invalid parameter: Status");
          }
          if (v.status !== "pending")
            return fail(res, 404, 20404, "The requested resource was not found");
          v.status = params.Status;
          v.updatedAt = now;
        }
        return send(res, 200, json(v));
      }
      if (kind === "VerificationCheck" && req.method === "POST") {
        const code = params.Code ?? "";
        const named = (x: Verification) =>
          x.serviceSid === serviceSid &&
          (params.VerificationSid ? x.sid === params.VerificationSid : x.to === params.To);
        const v =
          verifications.find((x) => named(x) && x.status === "pending") ??
          verifications.find((x) => named(x) && x.status === "max_attempts_reached");
        if (!v) return fail(res, 404, 20404, "The requested resource was not found");
        // Five checks are answered (the fifth wrong one ends the verification); then 60202.
        if (v.status === "max_attempts_reached") {
          return fail(res, 429, 60202, "Max check attempts reached");
        }
        if (!/^\d{4,10}$/.test(code)) return fail(res, 400, 60200, "Invalid parameter: Code");
        v.checks++;
        v.updatedAt = now;
        if (code === v.code) v.status = "approved";
        else if (v.checks >= VERIFY_MAX_CHECKS) v.status = "max_attempts_reached";
        const { url: _url, lookup: _lookup, send_code_attempts: _s, sna: _sna, ...check } = json(v);
        return send(res, 200, { ...check, sna_attempts_error_codes: [] });
      }
    }
    return fail(res, 404, 20404, "The requested resource was not found");
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    messages,
    codeFor: (to) => [...verifications].reverse().find((v) => v.to === to)?.code,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

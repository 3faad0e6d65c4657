// Contract tests: every proxy operation, sent by the official twilio SDK through our pipeline,
// and the vault's credential check (the account fetch) must be accepted by Stoplight Prism serving Twilio's own OpenAPI specs (twilio-oai, as the
// pinned dev dependency @twilio-alpha/mcp ships them under twilio-oai/spec/json/).
// Prism validates each request against the spec (422 otherwise) and answers with Twilio's
// documented examples. Runs once (in the PGlite project); the behaviour tests use the double.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { checkTwilioCredential } from "@/lib/features/vault/check-credential";
import { sealCredential } from "@/lib/features/vault/service";
import { ACCOUNT, KEY_SECRET, KEY_SID, proxySetup, TOKEN } from "@/test/proxy-setup";

const PORTS = vi.hoisted(() => {
  const base = Number(process.env.TWILIO_DOUBLE_PORT) + 100;
  process.env.TWILIO_API_BASE_URL = `http://127.0.0.1:${base}`;
  process.env.TWILIO_VERIFY_BASE_URL = `http://127.0.0.1:${base + 1}`;
  process.env.TWILIO_LOOKUP_BASE_URL = `http://127.0.0.1:${base + 2}`;
  process.env.TWILIO_TIMEOUT_MS = "5000";
  // Lookup goes through a forwarder (base + 2) in front of Prism (base + 3): see lookupForwarder.
  return { api: base, verify: base + 1, lookup: base + 2, lookupPrism: base + 3 };
});
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

// The integration's own Messaging Service: a send may name it (and no other, #14).
const MG = `MG${"5b".repeat(16)}`;
// From the registry, so the contract runs in every checkout; missing specs fail the run.
const SPECS = path.resolve("node_modules/@twilio-alpha/mcp/twilio-oai/spec/json");
const SPEC_FILES = {
  api: "twilio_api_v2010.json",
  verify: "twilio_verify_v2.json",
  lookup: "twilio_lookups_v2.json",
};
const runsHere = !process.env.DATABASE_URL;
const prisms: ChildProcess[] = [];
let forwarder: http.Server | undefined;

function startPrism(spec: string, port: number) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      path.resolve("node_modules/.bin/prism"),
      ["mock", "-h", "127.0.0.1", "-p", String(port), path.join(SPECS, spec)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prisms.push(child);
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`prism exited ${code}: ${output.slice(-500)}`)));
  });
}

/**
 * Forwards to Prism's Lookup mock, asking for Twilio's named example `fetchLineTypeIntelligence`
 * (Prefer: example=…), whose line type is nonFixedVoip: the SDK's request is otherwise untouched
 * (Prism still validates it). Twilio's spec has no landline example, so the landline refusal is
 * not exercised through Prism (the double covers it, line-type.int.test.ts).
 */
const lookupAnswers: { status: number; violations: string | null }[] = [];
function lookupForwarder(port: number, target: number) {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: target,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, prefer: "example=fetchLineTypeIntelligence" },
      },
      (answer) => {
        const violations = answer.headers["sl-violations"];
        lookupAnswers.push({
          status: answer.statusCode ?? 0,
          violations: typeof violations === "string" ? violations : null,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise<http.Server>((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve(server)),
  );
}

describe.runIf(runsHere)("Twilio OpenAPI contract (Prism)", () => {
  beforeAll(async () => {
    // Missing specs fail the run (they never skip it): npm ci installs @twilio-alpha/mcp.
    for (const file of Object.values(SPEC_FILES)) {
      if (!existsSync(path.join(SPECS, file))) {
        throw new Error(`Twilio's OpenAPI spec ${file} is missing from ${SPECS}: run npm ci.`);
      }
    }
    await Promise.all([
      startPrism(SPEC_FILES.api, PORTS.api),
      startPrism(SPEC_FILES.verify, PORTS.verify),
      startPrism(SPEC_FILES.lookup, PORTS.lookupPrism),
    ]);
    forwarder = await lookupForwarder(PORTS.lookup, PORTS.lookupPrism);
  }, 120_000);
  afterAll(() => {
    for (const p of prisms) p.kill();
    forwarder?.close();
  });

  it("accepts every operation as the proxy sends it", async () => {
    const s = await proxySetup((u) => (session.user = u), {
      allowed_operations: [
        "send_sms",
        "make_call",
        "create_verification",
        "check_verification",
        "fetch_verification",
        "cancel_verification",
        "list_messages",
        "lookup_number",
      ],
      sends_per_destination: 100,
      messaging_service_sid: MG,
    });
    const VE = `VE${"4c".repeat(16)}`;
    const calls: [string, Record<string, unknown>][] = [
      ["send_sms", { to: "+14155550123", body: "contract" }],
      // Not here: send_sms with media_url. The SDK sends MediaUrl as a repeated form field, as
      // Twilio documents, but Prism cannot read form-encoded arrays ("MediaUrl must be array").
      ["send_sms", { to: "+14155550123", body: "mg", messaging_service_sid: MG }],
      ["make_call", { to: "+14155550123", twiml: "<Response><Say>Hi</Say></Response>" }],
      ["make_call", { to: "+14155550123", url: "https://example.com/twiml" }],
      ["create_verification", { to: "+14155550123", channel: "sms", locale: "en" }],
      ["create_verification", { to: "someone@example.com", channel: "email" }],
      ["check_verification", { to: "+14155550123", code: "123456" }],
      ["check_verification", { verification_sid: VE, code: "123456" }],
      ["fetch_verification", { verification_sid: VE }],
      ["cancel_verification", { verification_sid: VE }],
      ["list_messages", { to: "+14155550123", date_sent_after: "2026-01-01", page_size: 20 }],
      ["lookup_number", { phone_number: "+14155550123" }],
    ];
    for (const [operation, payload] of calls) {
      const result = await s.client.proxy.outbound({
        integration_id: s.integration.id,
        operation,
        payload,
      });
      expect(
        { operation, success: result.success, error: result.result.error ?? null },
        JSON.stringify(payload),
      ).toEqual({ operation, success: true, error: null });
    }
  });

  // The vault's check before sealing: GET /2010-04-01/Accounts/{Sid}.json, Basic auth with the
  // Auth Token or with an API key (Prism refuses a request that does not fit the spec).
  it("accepts the account fetch the vault makes before sealing, with an Auth Token and an API key", async () => {
    const { ctx } = await proxySetup((u) => (session.user = u));
    const basic = await sealCredential(
      ctx,
      { type: "basic_auth", name: "checked", values: { username: ACCOUNT, password: TOKEN } },
      { check: checkTwilioCredential },
    );
    const key = await sealCredential(
      ctx,
      {
        type: "api_key",
        name: "checked key",
        values: { account_sid: ACCOUNT, key_sid: KEY_SID, key_secret: KEY_SECRET },
      },
      { check: checkTwilioCredential },
    );
    for (const sealed of [basic, key]) {
      expect(sealed.account_sid_masked).toBe(`AC…${ACCOUNT.slice(-4)}`);
      expect(sealed.verified_at).not.toBeNull();
    }
  });

  // Twilio's example answers nonFixedVoip (see lookupForwarder): the VoIP policy through Prism.
  it("flags a VoIP destination under voip_policy flag, refuses it under refuse (Lookup and send validated by Prism)", async () => {
    const setup = (voip_policy: "flag" | "refuse") =>
      proxySetup((u) => (session.user = u), {
        allowed_operations: ["send_sms"],
        line_type_check: true,
        voip_policy,
      });
    const send = (s: Awaited<ReturnType<typeof setup>>) =>
      s.client.proxy.outbound({
        integration_id: s.integration.id,
        operation: "send_sms",
        payload: { to: "+14159929960", body: "contract" },
      });
    lookupAnswers.length = 0;

    const flag = await setup("flag");
    expect((await send(flag)).success).toBe(true);
    const [sent] = await getDb()
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.tenantId, flag.tenantId), eq(auditEvents.action, "proxy.send_sms")),
      );
    expect(sent?.outcome).toBe("succeeded");
    expect(sent?.details).toMatchObject({ line_type: "nonFixedVoip", flagged: "voip" });

    const refuse = await setup("refuse");
    const refused = await send(refuse).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 403, code: "voip_not_allowed" });

    // One Lookup per tenant, each accepted by Prism without violations.
    expect(lookupAnswers).toEqual([
      { status: 200, violations: null },
      { status: 200, violations: null },
    ]);
  });
});

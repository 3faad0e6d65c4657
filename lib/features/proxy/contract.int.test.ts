// Contract tests: every proxy operation, sent by the official twilio SDK through our pipeline,
// must be accepted by Stoplight Prism serving Twilio's own OpenAPI specs (twilio-oai, as the
// pinned dev dependency @twilio-alpha/mcp ships them under twilio-oai/spec/json/).
// Prism validates each request against the spec (422 otherwise) and answers with Twilio's
// documented examples. Runs once (in the PGlite project); the behaviour tests use the double.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { proxySetup } from "@/test/proxy-setup";

const PORTS = vi.hoisted(() => {
  const base = Number(process.env.TWILIO_DOUBLE_PORT) + 100;
  process.env.TWILIO_API_BASE_URL = `http://127.0.0.1:${base}`;
  process.env.TWILIO_VERIFY_BASE_URL = `http://127.0.0.1:${base + 1}`;
  process.env.TWILIO_LOOKUP_BASE_URL = `http://127.0.0.1:${base + 2}`;
  process.env.TWILIO_TIMEOUT_MS = "5000";
  return { api: base, verify: base + 1, lookup: base + 2 };
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
      startPrism(SPEC_FILES.lookup, PORTS.lookup),
    ]);
  }, 120_000);
  afterAll(() => {
    for (const p of prisms) p.kill();
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
});

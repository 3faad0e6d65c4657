import { context, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/platform/auth/sessions";
import { startTwilioDouble, type TwilioDouble } from "@/tools/twilio-double/double";
import { ACCOUNT, FROM, KEY_SECRET, KEY_SID, proxySetup, TOKEN } from "@/test/proxy-setup";
import { resetBreakers } from "./breaker";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/platform/auth/current-user", () => ({
  currentUser: () => Promise.resolve(session.user),
}));

// The spans of one proxied call, read from an in-memory exporter registered as the SDK would be
// at start-up (lib/platform/observability/start-tracing.ts) when OTEL_EXPORTER_OTLP_ENDPOINT is set.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const TO = "+14155550188";

let double: TwilioDouble;
beforeAll(async () => {
  provider.register();
  double = await startTwilioDouble({
    port: Number(process.env.TWILIO_DOUBLE_PORT),
    accounts: [{ sid: ACCOUNT, authToken: TOKEN, apiKeys: [{ sid: KEY_SID, secret: KEY_SECRET }] }],
  });
});
afterAll(async () => {
  await double.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => {
  resetBreakers();
  exporter.reset();
});

const setup = () =>
  proxySetup((user) => (session.user = user), { sends_per_destination: 100 }, "api_key");

const named = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0] as ReadableSpan;
};
const isChildOf = (child: ReadableSpan, parent: ReadableSpan) =>
  child.spanContext().traceId === parent.spanContext().traceId &&
  child.parentSpanContext?.spanId === parent.spanContext().spanId;

/** Every name and attribute of every span (and its events), as text to search. */
const everything = (spans: ReadableSpan[]) =>
  JSON.stringify(
    spans.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events,
      links: s.links,
    })),
  );

describe("proxy traces", () => {
  it("puts the database and Twilio spans of a send_sms under its proxy span", async () => {
    const s = await setup();
    exporter.reset();
    const result = await s.client.proxy.outbound({
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: TO, body: "traced hello" },
    });
    expect(result.success).toBe(true);

    const spans = exporter.getFinishedSpans();
    const proxy = named(spans, "pqseal.proxy");
    const limits = named(spans, "pqseal.db.limits");
    const twilio = named(spans, "pqseal.twilio");
    const commit = named(spans, "pqseal.db.audit_commit");
    for (const child of [limits, twilio, commit])
      expect(isChildOf(child, proxy), child.name).toBe(true);
    // The group commit is linked to the request whose event it wrote.
    expect(commit.links.map((l) => l.context.spanId)).toContain(proxy.spanContext().spanId);
    // In order: limits, then Twilio, then the audit commit.
    const start = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
    expect(start(limits)).toBeLessThanOrEqual(start(twilio));
    expect(start(twilio)).toBeLessThanOrEqual(start(commit));

    expect(proxy.attributes).toMatchObject({
      "pqseal.operation": "send_sms",
      "pqseal.outcome": "succeeded",
      "http.response.status_code": 200,
    });
    expect(twilio.attributes).toMatchObject({
      "pqseal.operation": "send_sms",
      "pqseal.twilio.result": "ok",
    });
    expect(twilio.attributes["twilio.error_code"]).toBeUndefined();
    expect(commit.attributes).toMatchObject({
      "db.system.name": "postgresql",
      "pqseal.audit.batch_size": 1,
    });

    const text = everything(spans);
    for (const secret of [TO, TO.slice(2), FROM.slice(2), "traced hello", KEY_SECRET, s.key]) {
      expect(text).not.toContain(secret);
    }
  });

  it("names Twilio's error code on the Twilio span, and no number", async () => {
    const s = await setup();
    exporter.reset();
    const invalid = "+15005550001"; // the double answers 21211
    const result = await s.client.proxy.outbound({
      integration_id: s.integration.id,
      operation: "send_sms",
      payload: { to: invalid, body: "x" },
    });
    expect(result.success).toBe(false);

    const spans = exporter.getFinishedSpans();
    const proxy = named(spans, "pqseal.proxy");
    const twilio = named(spans, "pqseal.twilio");
    expect(isChildOf(twilio, proxy)).toBe(true);
    expect(proxy.attributes).toMatchObject({
      "pqseal.outcome": "twilio_failed",
      "http.response.status_code": 400,
    });
    expect(twilio.attributes).toMatchObject({
      "pqseal.twilio.result": "refused",
      "twilio.error_code": "twilio_21211",
      "error.type": "twilio_21211",
      "http.response.status_code": 400,
    });
    expect(twilio.status.code).toBe(2); // ERROR
    expect(everything(spans)).not.toContain(invalid.slice(2));
  });

  it("marks a refusal before Twilio on the proxy span, with no Twilio span", async () => {
    const s = await setup();
    exporter.reset();
    await expect(
      s.client.proxy.outbound({
        integration_id: s.integration.id,
        operation: "send_sms",
        payload: { to: "+33612345678", body: "x" },
      }),
    ).rejects.toMatchObject({ status: 403, code: "destination_not_allowed" });
    const spans = exporter.getFinishedSpans();
    expect(named(spans, "pqseal.proxy").attributes).toMatchObject({
      "pqseal.outcome": "refused",
      "http.response.status_code": 403,
      "error.type": "destination_not_allowed",
    });
    expect(spans.filter((span) => span.name === "pqseal.twilio")).toHaveLength(0);
    expect(everything(spans)).not.toContain("612345678");
  });
});

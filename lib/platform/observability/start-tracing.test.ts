import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type ProxyTracerProvider,
} from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/shared/ids";
import { scrubbing, startTracing } from "./start-tracing";
import { inSpan } from "./tracing";

// A collector that keeps what it is sent.
const received: { url: string; body: string }[] = [];
let collector: Server;
const sdk = () =>
  (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as NodeTracerProvider;
afterAll(async () => {
  await sdk().shutdown();
  trace.disable();
  context.disable();
  await new Promise((resolve) => collector.close(resolve));
});

const TENANT = newId("tenant");
const PHONE = "+14155550123";
// What Next.js puts on its own request and fetch spans once an SDK is registered.
const NEXT_REQUEST_ATTRIBUTES = {
  "http.method": "GET",
  "http.target": `/api/v2/audit/events?destination=%2B14155550123&actor=alice@example.com`,
  "http.url": `https://pqseal.example.com/t/${TENANT}/audit?destination=%2B14155550123`,
  "url.full": `https://pqseal.example.com/t/${TENANT}/audit?destination=%2B14155550123`,
  "url.path": `/t/${TENANT}/audit`,
  "url.query": "destination=%2B14155550123",
  "http.route": "/api/v2/audit/events",
  "next.route": "/t/[tenantId]/audit",
  "http.status_code": 200,
  "net.peer.name": "receiver.example.com",
};

describe("startTracing", () => {
  it("exports the spans of the code to <endpoint>/v1/traces as OTLP/HTTP JSON, without URLs", async () => {
    collector = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({ url: req.url ?? "", body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;

    startTracing(`http://127.0.0.1:${port}/`, "pqseal-test");
    await inSpan("pqseal.outer", { "pqseal.operation": "send_sms" }, () =>
      inSpan("pqseal.inner", {}, () => Promise.resolve()),
    );
    trace
      .getTracer("next.js")
      .startSpan("GET /api/v2/audit/events", { attributes: NEXT_REQUEST_ATTRIBUTES })
      .end();
    await sdk().forceFlush();

    expect(received.map((r) => r.url)).toEqual(["/v1/traces"]);
    const body = received[0]?.body ?? "";
    expect(body).toContain('"pqseal.outer"');
    expect(body).toContain('"pqseal.inner"');
    expect(body).toContain('"pqseal-test"');
    expect(body).toContain('"/api/v2/audit/events"');
    expect(body).not.toContain("http.target");
    expect(body).not.toContain("destination");
    expect(body).not.toContain("14155550123");
    expect(body).not.toContain(TENANT);
  });
});

describe("scrubbing", () => {
  /** Spans through `scrubbing(exporter)`, as startTracing exports them. */
  async function exported(make: (tracer: ReturnType<NodeTracerProvider["getTracer"]>) => void) {
    const memory = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(scrubbing(memory))],
    });
    make(provider.getTracer("next.js"));
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    await provider.shutdown();
    return spans;
  }

  it("drops the URL attributes of Next.js's request spans and keeps the route", async () => {
    const [span] = await exported((tracer) =>
      tracer
        .startSpan("GET /api/v2/audit/events", {
          kind: SpanKind.SERVER,
          attributes: NEXT_REQUEST_ATTRIBUTES,
        })
        .end(),
    );
    expect(span?.name).toBe("GET /api/v2/audit/events");
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toEqual({
      "http.method": "GET",
      "http.route": "/api/v2/audit/events",
      "next.route": "/t/[tenantId]/audit",
      "http.status_code": 200,
      "net.peer.name": "receiver.example.com",
    });
  });

  it("reduces URLs in names and values to their origin, and redacts numbers, ids and queries", async () => {
    const [span] = await exported((tracer) => {
      const s = tracer.startSpan(
        "fetch POST https://user:pw@receiver.example.com/hook/abc?token=s3cr3t",
        {
          attributes: {
            "pqseal.note": `sent to ${PHONE} (%2B14155550124) for ${TENANT}`,
            "next.span_name": `GET /t/${TENANT}/vault`,
            "next.page": "/api/x?destination=alice&to=bob",
            "pqseal.list": [`${TENANT}`, "plain"],
            "twilio.error_code": "21211",
            "pqseal.sid": `SM${"0123456789".repeat(3)}ab`,
            "http.response.status_code": 502,
          },
        },
      );
      s.recordException(new Error(`Twilio refused ${PHONE}`));
      s.setStatus({ code: SpanStatusCode.ERROR, message: `The 'To' number ${PHONE} is invalid` });
      s.end();
    });
    expect(span?.name).toBe("fetch POST https://receiver.example.com");
    expect(span?.attributes).toEqual({
      "pqseal.note": "sent to [phone] ([phone]) for ten_[id]",
      "next.span_name": "GET /t/ten_[id]/vault",
      "next.page": "/api/x",
      "pqseal.list": ["ten_[id]", "plain"],
      "twilio.error_code": "21211",
      "pqseal.sid": `SM${"0123456789".repeat(3)}ab`,
      "http.response.status_code": 502,
    });
    // The status keeps its code; an error's message and stack may quote the number.
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([
      ["exception", { "exception.type": "Error" }],
    ]);
    expect(JSON.stringify(span)).not.toContain("14155550123");
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { context, trace, type ProxyTracerProvider } from "@opentelemetry/api";
import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, describe, expect, it } from "vitest";
import { startTracing } from "./start-tracing";
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

describe("startTracing", () => {
  it("exports the spans of the code to <endpoint>/v1/traces as OTLP/HTTP JSON", async () => {
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
    await sdk().forceFlush();

    expect(received.map((r) => r.url)).toEqual(["/v1/traces"]);
    const body = received[0]?.body ?? "";
    expect(body).toContain('"pqseal.outer"');
    expect(body).toContain('"pqseal.inner"');
    expect(body).toContain('"pqseal-test"');
  });
});

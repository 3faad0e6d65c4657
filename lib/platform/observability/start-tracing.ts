import "server-only";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

// Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/start-up.ts imports it then): a
// process that exports no traces never loads the SDK, and the spans in the code stay no-ops.

const globalForTracing = globalThis as unknown as { pqsealTracing?: NodeTracerProvider };

/**
 * Registers the global tracer provider: spans batched to `<endpoint>/v1/traces` (OTLP/HTTP,
 * JSON), with service.name `serviceName`. The exporter itself reads
 * OTEL_EXPORTER_OTLP_HEADERS (a collector's credentials), the SDK OTEL_TRACES_SAMPLER. Once.
 */
export function startTracing(endpoint: string, serviceName: string): void {
  if (globalForTracing.pqsealTracing) return;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
      ),
    ],
  });
  provider.register();
  globalForTracing.pqsealTracing = provider;
}

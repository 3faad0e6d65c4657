import "server-only";
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";

// Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/start-up.ts imports it then): a
// process that exports no traces never loads the SDK, and the spans in the code stay no-ops.

const globalForTracing = globalThis as unknown as { pqsealTracing?: NodeTracerProvider };

/**
 * Registers the global tracer provider: spans batched to `<endpoint>/v1/traces` (OTLP/HTTP,
 * JSON), with service.name `serviceName`, each scrubbed first (`scrubbing`). The exporter itself
 * reads OTEL_EXPORTER_OTLP_HEADERS (a collector's credentials), the SDK OTEL_TRACES_SAMPLER. Once.
 */
export function startTracing(endpoint: string, serviceName: string): void {
  if (globalForTracing.pqsealTracing) return;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(
        scrubbing(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` })),
      ),
    ],
  });
  provider.register();
  globalForTracing.pqsealTracing = provider;
}

// Our own spans carry operations, outcomes and codes only (tracing.ts), but once an SDK is
// registered Next.js traces every request and every fetch, with the URL as it came: the query
// of an audit search (`?destination=%2B1415…`), a console path (`/t/ten_…`), a forward URL's
// token. Each span is scrubbed on its way out, whoever made it:
// - the URL attributes are dropped: the route template (`http.route`, `next.route`) says which
//   endpoint it was, and is all a trace needs; host names (`net.peer.name`, `http.host`) stay,
//   they name our infrastructure and a receiver's, not a person, a tenant or a secret;
// - an error's message and stack (status message, `exception.*` events) are dropped, as the
//   code's own spans never record them: Twilio's quote the number; `exception.type` stays;
// - in every other name and string value, a URL is cut to its origin (no user name, path or
//   query), a query string is removed, and a prefixed id (ten_…) or an E.164-like number
//   (+14155550123, %2B…, or 7 to 15 digits standing alone) is replaced.
const DROPPED = new Set([
  "http.target",
  "http.url",
  "url.full",
  "url.path",
  "url.query",
  "exception.message",
  "exception.stacktrace",
]);
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
// lib/shared/ids.ts: a prefix and a ULID (26 characters of Crockford's base32).
const PREFIXED_ID = /\b([a-z]{2,5})_[0-9A-HJKMNP-TV-Z]{26}\b/g;
// A `?` followed by a parameter (name=value) before the next space.
const QUERY = /\?(?=[^\s#]*=)[^\s#]*/g;
// Not inside a word or a longer run of digits (a SID, a hash), so only a number standing alone.
const PHONE_NUMBER = /(?<![\w%])(?:\+|%2B)?\d{7,15}(?!\w)/gi;

const originOf = (url: string) => {
  if (!URL.canParse(url)) return "[url]";
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
};

const scrubText = (text: string): string =>
  text
    .replace(URL_IN_TEXT, originOf)
    .replace(PREFIXED_ID, "$1_[id]")
    .replace(QUERY, "")
    .replace(PHONE_NUMBER, "[phone]");

function scrubValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === "string") return scrubText(value);
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) =>
    typeof item === "string" ? scrubText(item) : item,
  ) as AttributeValue;
}

function scrubAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!DROPPED.has(key)) kept[key] = scrubValue(value);
  }
  return kept;
}

function scrubSpan(span: ReadableSpan): ReadableSpan {
  return {
    name: scrubText(span.name),
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext ? { parentSpanContext: span.parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: scrubAttributes(span.attributes),
    links: span.links.map((link) => ({
      ...link,
      ...(link.attributes ? { attributes: scrubAttributes(link.attributes) } : {}),
    })),
    events: span.events.map((event) => ({
      ...event,
      name: scrubText(event.name),
      ...(event.attributes ? { attributes: scrubAttributes(event.attributes) } : {}),
    })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** `exporter`, sent every span scrubbed of URLs, numbers, ids and error messages (above). */
export function scrubbing(exporter: SpanExporter): SpanExporter {
  return {
    export: (spans, done) => exporter.export(spans.map(scrubSpan), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from "@opentelemetry/api";

// Spans through @opentelemetry/api: without a registered SDK (OTEL_EXPORTER_OTLP_ENDPOINT
// unset, lib/start-up.ts) the tracer is a no-op and a span costs next to nothing. Attributes
// are operations, outcomes, statuses and error codes only: never a phone number, a secret, a
// message body or an error message (Twilio's may quote the number).

const tracer = () => trace.getTracer("pqseal");

/** A low-cardinality name for a failure: an error code when it has one, else its class. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[\w.-]{1,60}$/.test(code)) return code;
  return error instanceof Error ? error.name : "unknown";
}

/**
 * Runs `fn` inside a new active span (child of `parent`, else of the active context), ended
 * however `fn` exits; a throw marks it as an error with `error.type`, never the message.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: { parent?: Context; links?: Link[] } = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { attributes, ...(options.links ? { links: options.links } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markError(span, errorType(error));
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks `span` as failed with `error.type` (a code or class name, never a message). */
export function markError(span: Span, type: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute("error.type", type);
}

/** The active trace context, to carry into work another request's flush will run. */
export const activeContext = (): Context => context.active();

/** A link to the span active in `ctx`, if there is one. */
export function linkTo(ctx: Context): Link | null {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext ? { context: spanContext } : null;
}

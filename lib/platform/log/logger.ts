import pino from "pino";
import { env } from "@/lib/platform/config/env";

// Redaction is a second line of defence: code must not log secrets in the first place.
const redactPaths = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authToken",
  "*.authToken",
  "apiKey",
  "*.apiKey",
  "otp",
  "*.otp",
  "to",
  "*.to",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  "headers.authorization",
  "headers.cookie",
  'headers["x-api-key"]',
];

// A failed query's error carries its parameters (drizzle: "…\nparams: …" in the message and
// stack; postgres.js: a `parameters` property): a password hash or a phone number among them
// must not reach the log. The SQL text stays; the values do not.
const PARAMS = /params: [^\n]*/g;
const PARAM_KEYS = new Set(["params", "parameters"]);

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(PARAMS, "params: [redacted]");
  if (!value || typeof value !== "object" || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !PARAM_KEYS.has(k))
      .map(([k, v]) => [k, scrub(v, depth + 1)]),
  );
}

type Logger = pino.Logger;
const globalForLog = globalThis as unknown as { pqsealLogger?: Logger };

/** The server's logger (one per process); `destination` is for tests. */
export function buildLogger(destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: env().LOG_LEVEL,
    base: { service: "pqseal" },
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: (e: Error) => scrub(pino.stdSerializers.err(e)) },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function logger(): Logger {
  globalForLog.pqsealLogger ??= buildLogger();
  return globalForLog.pqsealLogger;
}

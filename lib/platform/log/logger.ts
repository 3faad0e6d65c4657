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

type Logger = pino.Logger;
const globalForLog = globalThis as unknown as { pqsealLogger?: Logger };

export function logger(): Logger {
  globalForLog.pqsealLogger ??= pino({
    level: env().LOG_LEVEL,
    base: { service: "pqseal" },
    redact: { paths: redactPaths, censor: "[redacted]" },
  });
  return globalForLog.pqsealLogger;
}

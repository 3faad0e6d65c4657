import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/platform/config/env";
import { logger } from "@/lib/platform/log/logger";

let cached: string | undefined;

/**
 * AUTH_SECRET signs the session cookie. When it is not configured (the embedded quick start),
 * one is generated once into the data folder with mode 0600 and reused on every start.
 */
export function authSecret(): string {
  if (cached) return cached;
  const configured = env().AUTH_SECRET;
  if (configured) return (cached = configured);
  const dir = env().PQSEAL_DATA_DIR;
  const file = path.join(dir, "auth-secret");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    logger().warn({ file }, "AUTH_SECRET is not set: generated one into the data folder");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return (cached = readFileSync(file, "utf8").trim());
}

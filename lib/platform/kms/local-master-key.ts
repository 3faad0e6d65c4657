import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/platform/config/env";
import { logger } from "@/lib/platform/log/logger";

const globalForKey = globalThis as unknown as { pqsealMasterKey?: Buffer };

/**
 * The `local` KMS provider's 256-bit master key: PQSEAL_MASTER_KEY, or generated once into
 * PQSEAL_DATA_DIR/master.key (mode 0600). Losing it makes every wrapped secret unreadable.
 * `generate: false` (the worker) only reads it: a key made up by a second process would open
 * nothing the web server sealed.
 */
export function localMasterKey({ generate = true } = {}): Buffer {
  if (globalForKey.pqsealMasterKey) return globalForKey.pqsealMasterKey;
  const configured = env().PQSEAL_MASTER_KEY;
  if (configured) return (globalForKey.pqsealMasterKey = Buffer.from(configured, "base64"));
  const dir = env().PQSEAL_DATA_DIR;
  const file = path.join(dir, "master.key");
  if (!generate && !existsSync(file)) {
    throw new Error(
      `no local master key: set PQSEAL_MASTER_KEY to the web server's (or provide ${file})`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    logger().warn(
      { file },
      "PQSEAL_MASTER_KEY is not set: generated a local master key. BACK IT UP: without it, sealed secrets and signing keys cannot be recovered.",
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return (globalForKey.pqsealMasterKey = key);
}

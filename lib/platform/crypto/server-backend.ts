import "server-only";
import { env } from "@/lib/platform/config/env";
import { logger } from "@/lib/platform/log/logger";
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { createLiboqsBackend } from "./liboqs-backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";

const globalForBackend = globalThis as unknown as { pqsealBackend?: Promise<CryptoBackend> };

/**
 * The backend for the server's hot path. `auto` (default) picks liboqs (WebAssembly, about 20x
 * faster signatures than noble) and falls back to noble, which works everywhere. On Node >= 24.7
 * ML-KEM encapsulation goes to Node's OpenSSL, faster there; ML-DSA signing stays with liboqs,
 * faster than Node's (node-kem.ts).
 */
export function serverBackend(): Promise<CryptoBackend> {
  globalForBackend.pqsealBackend ??= pick();
  return globalForBackend.pqsealBackend;
}

async function pick(): Promise<CryptoBackend> {
  const wanted = env().PQSEAL_CRYPTO_BACKEND;
  if (wanted === "noble") return nobleBackend;
  try {
    return await createLiboqsBackend();
  } catch (error) {
    if (wanted === "liboqs") throw error;
    logger().warn({ err: error }, "liboqs backend unavailable; using noble (slower)");
    return nobleBackend;
  }
}

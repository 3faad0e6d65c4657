// npm run bench:crypto: envelope build (server) and verify+decrypt (client) per backend, envelopes/s
// over both cores, and vault seals/s. Prints figures; asserts nothing.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { CryptoBackend } from "@/lib/shared/crypto/backend";
import { createLiboqsBackend } from "@/lib/platform/crypto/liboqs-backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { deriveHmacKey, openEnvelope, sealEnvelope } from "@/lib/shared/crypto/envelope-format";

// A throwaway master key and quiet logs for the local-KMS part (this script is not the server).
process.env.PQSEAL_MASTER_KEY ??= randomBytes(32).toString("base64");
process.env.LOG_LEVEL ??= "silent";

const TENANT = "ten_01JDBENCH00000000000000000A";
const API_KEY = `qs_live_${"b".repeat(43)}`;
const recipient = nobleBackend.kemKeygen(new Uint8Array(64).fill(1));
const signer = nobleBackend.dsaKeygen(new Uint8Array(32).fill(2));
// A typical proxy result: a Twilio Message resource.
const PAYLOAD = {
  data: {
    sid: "SM" + "0".repeat(32),
    status: "queued",
    to: "+15005550006",
    body: "Your code is ready",
    date_created: new Date().toISOString(),
    num_segments: "1",
    price: null,
    error_code: null,
  },
};

function build(backend: CryptoBackend, hmacKey: Uint8Array) {
  return sealEnvelope(backend, {
    tenantId: TENANT,
    requestId: `cli_${randomBytes(16).toString("hex")}`,
    issuedAt: new Date(),
    auditEventId: "aud_01JDBENCH00000000000000000B",
    success: true,
    recipient: { keyId: "ckey_1", publicKey: recipient.publicKey },
    signer: { keyId: "sgk_1", secretKey: signer.secretKey },
    hmacKey,
    payload: PAYLOAD,
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p99: at(0.99) };
}

function time(fn: () => void, iterations: number) {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

async function workerMain() {
  const backend = await createLiboqsBackend();
  const hmacKey = deriveHmacKey(backend, API_KEY, TENANT);
  const { seconds } = workerData as { seconds: number };
  for (let i = 0; i < 50; i++) build(backend, hmacKey); // warm up
  const end = performance.now() + seconds * 1000;
  let count = 0;
  while (performance.now() < end) {
    build(backend, hmacKey);
    count++;
  }
  parentPort?.postMessage(count);
}

async function parallelEnvelopesPerSecond(workers: number, seconds: number) {
  const counts = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<number>((resolve, reject) => {
          // The worker loads this same file through tsx's CommonJS hook.
          const w = new Worker(`require("tsx/cjs"); require(${JSON.stringify(__filename)});`, {
            eval: true,
            workerData: { seconds },
          });
          w.once("message", (n: number) => resolve(n));
          w.once("error", reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

async function main() {
  const liboqs = await createLiboqsBackend();
  const backends: [CryptoBackend, number][] = [
    [nobleBackend, 60],
    [liboqs, 2000],
  ];
  const fmt = (n: number) => n.toFixed(3).padStart(8);
  console.log(`node ${process.version}, ${availableParallelism()} cores\n`);
  console.log("envelope (ms)            build median   build p99   open median   open p99");
  for (const [backend, iterations] of backends) {
    const hmacKey = deriveHmacKey(backend, API_KEY, TENANT);
    time(() => build(backend, hmacKey), Math.min(20, iterations)); // warm up
    const b = time(() => build(backend, hmacKey), iterations);
    const envelope = build(backend, hmacKey);
    const pinned = { sgk_1: signer.publicKey };
    const o = time(
      () =>
        openEnvelope(backend, envelope, {
          tenantId: TENANT,
          recipient: { keyId: "ckey_1", secretKey: recipient.secretKey },
          signingPublicKeys: pinned,
          hmacKey,
        }),
      iterations,
    );
    console.log(
      `${backend.name.padEnd(22)} ${fmt(b.median)}      ${fmt(b.p99)}   ${fmt(o.median)}     ${fmt(o.p99)}`,
    );
  }
  const cores = availableParallelism();
  const perSecond = await parallelEnvelopesPerSecond(cores, 5);
  console.log(`\nenvelopes/s over ${cores} worker threads (liboqs, 5 s): ${perSecond.toFixed(0)}`);

  // Vault seals: ML-KEM-768 + AES-256-GCM to the vault key, then the local KMS wrap.
  const { sealValues } = await import("@/lib/platform/sealing/seal");
  const { wrapSecret } = await import("@/lib/platform/kms/local-kms");
  const { KMS_PURPOSES } = await import("@/lib/platform/kms/purposes");
  const { credentialBinding } = await import("@/lib/platform/sealing/bindings");
  const vault = nobleBackend.kemKeygen(new Uint8Array(64).fill(3));
  const values = { username: `AC${"a".repeat(32)}`, password: "f".repeat(32) };
  for (const backend of [nobleBackend, liboqs]) {
    const end = performance.now() + 3000;
    let n = 0;
    while (performance.now() < end) {
      const sealed = sealValues(
        backend,
        vault.publicKey,
        credentialBinding(TENANT, `cred_${n}`, "basic_auth", 1),
        values,
      );
      wrapSecret(TENANT, KMS_PURPOSES.credential, sealed);
      n++;
    }
    console.log(
      `seals/s (${backend.name}, one thread, incl. local KMS wrap): ${(n / 3).toFixed(0)}`,
    );
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  void workerMain();
}

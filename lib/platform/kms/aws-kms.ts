import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { env } from "@/lib/platform/config/env";

// `aws-kms`: envelope encryption under the tenant's own CMK. GenerateDataKey returns a fresh
// AES-256 data key (plaintext + CMK-encrypted); we encrypt locally with AES-256-GCM and store
// only the encrypted data key. The encryption context {tenant_id, purpose} is bound by KMS and
// also used as AES-GCM associated data. Format:
//   aws1.<region>.<encrypted data key b64>.<nonce b64>.<ciphertext+tag b64>
export const AWS_KMS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;

const clients = new Map<string, KMSClient>();

function client(region: string): KMSClient {
  let existing = clients.get(region);
  if (!existing) {
    const endpoint = env().AWS_KMS_ENDPOINT;
    existing = new KMSClient({ region, ...(endpoint ? { endpoint } : {}), maxAttempts: 3 });
    clients.set(region, existing);
  }
  return existing;
}

const regionOfArn = (arn: string) => AWS_KMS_ARN.exec(arn)?.[1];

const context = (tenantId: string, purpose: string) => ({ tenant_id: tenantId, purpose });

export async function awsWrap(
  keyArn: string,
  tenantId: string,
  purpose: string,
  plaintext: Uint8Array,
): Promise<string> {
  const region = regionOfArn(keyArn);
  if (!region) throw new Error("not an AWS KMS key ARN");
  const out = await client(region).send(
    new GenerateDataKeyCommand({
      KeyId: keyArn,
      KeySpec: "AES_256",
      EncryptionContext: context(tenantId, purpose),
    }),
  );
  if (!out.Plaintext || !out.CiphertextBlob) throw new Error("KMS returned no data key");
  const dataKey = out.Plaintext;
  try {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", dataKey, nonce);
    cipher.setAAD(Buffer.from(`${tenantId}|${purpose}`));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return [
      "aws1",
      region,
      Buffer.from(out.CiphertextBlob).toString("base64"),
      nonce.toString("base64"),
      body.toString("base64"),
    ].join(".");
  } finally {
    dataKey.fill(0);
  }
}

export async function awsUnwrap(tenantId: string, purpose: string, wrapped: string) {
  const [version, region, keyB64, nonceB64, bodyB64] = wrapped.split(".");
  if (version !== "aws1" || !region || !keyB64 || !nonceB64 || !bodyB64) {
    throw new Error("unknown wrapped secret format");
  }
  const out = await client(region).send(
    new DecryptCommand({
      CiphertextBlob: Buffer.from(keyB64, "base64"),
      EncryptionContext: context(tenantId, purpose),
    }),
  );
  if (!out.Plaintext) throw new Error("KMS returned no plaintext");
  const dataKey = out.Plaintext;
  try {
    const body = Buffer.from(bodyB64, "base64");
    const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(nonceB64, "base64"));
    decipher.setAAD(Buffer.from(`${tenantId}|${purpose}`));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } finally {
    dataKey.fill(0);
  }
}

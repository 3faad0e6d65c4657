import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { clientPublicKeys } from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { SIZES } from "@/lib/shared/crypto/backend";
import { nobleBackend } from "@/lib/shared/crypto/noble-backend";
import { fromB64 } from "@/lib/shared/crypto/bytes";
import { fingerprintOf } from "@/lib/platform/keys/tenant-keys";
import { AppError } from "@/lib/platform/errors/app-error";
import { newId } from "@/lib/shared/ids";
import { actingUserId, type Acting } from "@/lib/platform/request-context/acting";

const CLIENT_KEY_ALGORITHM = "ML-KEM-768";

/** Decodes and checks a client's ML-KEM-768 public key (size, and FIPS 203 validity). */
export function parseClientPublicKey(b64: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromB64(b64.trim());
  } catch {
    throw invalid("is not base64");
  }
  if (bytes.length !== SIZES.kemPublicKey) {
    throw invalid(`is ${bytes.length} bytes; an ML-KEM-768 public key is 1184`);
  }
  try {
    nobleBackend.kemEncapsulate(bytes); // runs FIPS 203's encapsulation-key modulus check
  } catch {
    throw invalid("is not a valid ML-KEM-768 encapsulation key");
  }
  return bytes;
}

const invalid = (why: string) =>
  new AppError("invalid_input", `The client public key ${why}.`, {
    fieldErrors: { clientPublicKey: [`The client public key ${why}.`] },
    remediation: "Generate the key pair with the SDK (generateClientKeyPair) or in the console.",
  });

/** Registers a client public key inside the caller's transaction. */
export async function registerClientKey(
  tx: Tx,
  acting: Acting,
  input: { name: string; publicKey: Uint8Array },
) {
  const id = newId("clientKey");
  const fingerprint = fingerprintOf(input.publicKey);
  await tx.insert(clientPublicKeys).values({
    id,
    tenantId: acting.tenantId,
    name: input.name,
    algorithm: CLIENT_KEY_ALGORITHM,
    publicKey: Buffer.from(input.publicKey).toString("base64"),
    fingerprint,
    createdBy: actingUserId(acting),
  });
  await recordAudit(tx, acting, {
    action: "client_key.registered",
    outcome: "succeeded",
    target: { type: "client_key", id },
    details: { name: input.name, algorithm: CLIENT_KEY_ALGORITHM, fingerprint },
  });
  return { id, fingerprint };
}

export async function getClientKey(tenantId: string, id: string) {
  const [row] = await getDb()
    .select()
    .from(clientPublicKeys)
    .where(and(eq(clientPublicKeys.tenantId, tenantId), eq(clientPublicKeys.id, id)));
  return row;
}

export async function listClientKeys(tenantId: string) {
  return getDb()
    .select()
    .from(clientPublicKeys)
    .where(eq(clientPublicKeys.tenantId, tenantId))
    .orderBy(desc(clientPublicKeys.createdAt));
}

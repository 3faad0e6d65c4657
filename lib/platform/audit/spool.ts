import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/platform/config/env";
import { unwrapSecret, wrapSecret } from "@/lib/platform/kms/local-kms";
import { KMS_PURPOSES } from "@/lib/platform/kms/purposes";
import { logger } from "@/lib/platform/log/logger";

// When an audit event cannot be written after an irreversible step (Twilio already answered)
// because the database is unreachable, it is kept here, on the server's own disk, until the
// database is back: "every Twilio call is audited" holds through an outage. Entries are
// wrapped with the local KMS master key (they may hold a phone number and a Twilio result),
// written atomically (temp file + rename), and removed only after their handler committed.

/** A spooled entry: `kind` names the handler that writes it (registered by a feature). */
export interface SpoolEntry {
  kind: string;
  tenantId: string;
  payload: unknown;
}

const dir = () => path.join(env().PQSEAL_DATA_DIR, "audit-spool");
const TENANT = "pqseal";

export async function spoolAudit(entry: SpoolEntry): Promise<void> {
  await mkdir(dir(), { recursive: true, mode: 0o700 });
  const wrapped = wrapSecret(
    TENANT,
    KMS_PURPOSES.auditSpool,
    new TextEncoder().encode(JSON.stringify(entry)),
  );
  const name = `${Date.now()}-${randomUUID()}`;
  const tmp = path.join(dir(), `${name}.tmp`);
  await writeFile(tmp, wrapped, { mode: 0o600 });
  await rename(tmp, path.join(dir(), `${name}.entry`));
  logger().error({ kind: entry.kind, tenantId: entry.tenantId }, "audit event spooled to disk");
}

/**
 * Writes every spooled entry through its handler, oldest first; an entry whose handler fails
 * stays for the next run (the database may still be down). Returns how many were written.
 */
export async function drainSpool(
  handlers: Record<string, (entry: SpoolEntry) => Promise<void>>,
): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir())).filter((n) => n.endsWith(".entry")).sort();
  } catch {
    return 0; // no spool folder: nothing was ever spooled
  }
  let written = 0;
  for (const name of names) {
    const file = path.join(dir(), name);
    const entry = JSON.parse(
      new TextDecoder().decode(
        unwrapSecret(TENANT, KMS_PURPOSES.auditSpool, await readFile(file, "utf8")),
      ),
    ) as SpoolEntry;
    const handler = handlers[entry.kind];
    if (!handler) {
      logger().error({ kind: entry.kind }, "spooled audit entry of an unknown kind: kept");
      continue;
    }
    try {
      await handler(entry);
    } catch (error) {
      logger().warn({ err: error, kind: entry.kind }, "spooled audit entry not written yet");
      continue; // kept for the next run; a bad entry must not hold back the others
    }
    await rm(file);
    written++;
  }
  return written;
}

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
// written atomically (temp file + rename), claimed by rename while being written, and removed
// only after their handler committed. Handlers must be idempotent by `id` (a crash between
// the commit and the removal replays the entry).

/** A spooled entry: `kind` names the handler that writes it (registered by a feature). */
export interface SpoolEntry {
  id: string;
  kind: string;
  tenantId: string;
  payload: unknown;
}

const dir = () => path.join(env().PQSEAL_DATA_DIR, "audit-spool");
const TENANT = "pqseal";

/** Keeps an entry on disk; returns its id (handlers record it to stay idempotent). */
export async function spoolAudit(entry: Omit<SpoolEntry, "id"> & { id?: string }): Promise<string> {
  const id = entry.id ?? randomUUID();
  await mkdir(dir(), { recursive: true, mode: 0o700 });
  const wrapped = wrapSecret(
    TENANT,
    KMS_PURPOSES.auditSpool,
    new TextEncoder().encode(JSON.stringify({ ...entry, id })),
  );
  const name = `${Date.now()}-${id}`;
  const tmp = path.join(dir(), `${name}.tmp`);
  await writeFile(tmp, wrapped, { mode: 0o600 });
  await rename(tmp, path.join(dir(), `${name}.entry`));
  return id;
}

/**
 * How many entries on this server's disk wait to be written (`waiting`), or were set aside as
 * unreadable (`bad`: an event that will never be written without an operator), for the gauges.
 */
export async function countSpooled(which: "waiting" | "bad"): Promise<number> {
  const pattern = which === "bad" ? /\.bad$/ : /\.(entry|working)$/;
  try {
    return (await readdir(dir())).filter((n) => pattern.test(n)).length;
  } catch {
    return 0; // no spool folder: nothing was ever spooled
  }
}

let draining = false;

/**
 * Writes every spooled entry through its handler, oldest first. An entry whose handler fails
 * stays for the next run (the database may still be down); one that cannot be read is set
 * aside as `.bad` and logged, so it holds back nothing. Runs never overlap in one process.
 * Returns how many entries were written.
 */
export async function drainSpool(
  handlers: Record<string, (entry: SpoolEntry) => Promise<void>>,
): Promise<number> {
  if (draining) return 0;
  draining = true;
  try {
    let names: string[];
    try {
      names = (await readdir(dir())).filter((n) => n.endsWith(".entry")).sort();
    } catch {
      return 0; // no spool folder: nothing was ever spooled
    }
    let written = 0;
    for (const name of names) {
      const file = path.join(dir(), name);
      const working = file.replace(/\.entry$/, ".working");
      try {
        await rename(file, working); // claimed: another process skips it
      } catch {
        continue;
      }
      let entry: SpoolEntry;
      try {
        entry = JSON.parse(
          new TextDecoder().decode(
            unwrapSecret(TENANT, KMS_PURPOSES.auditSpool, await readFile(working, "utf8")),
          ),
        ) as SpoolEntry;
      } catch (error) {
        logger().error({ err: error, file: name }, "spooled audit entry unreadable: set aside");
        await rename(working, file.replace(/\.entry$/, ".bad"));
        continue;
      }
      const handler = handlers[entry.kind];
      try {
        if (!handler) throw new Error(`no handler for ${entry.kind}`);
        await handler(entry);
      } catch (error) {
        logger().warn({ err: error, kind: entry.kind }, "spooled audit entry not written yet");
        await rename(working, file);
        continue;
      }
      await rm(working);
      written++;
    }
    return written;
  } finally {
    draining = false;
  }
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import {
  auditChainHeads,
  auditStreams,
  type AuditStream,
  type AuditStreamConfig,
} from "@/db/schema";
import { recordAudit } from "@/lib/platform/audit/record-audit";
import { AppError } from "@/lib/platform/errors/app-error";
import { assertForwardUrl } from "@/lib/platform/http/ssrf";
import type { Acting } from "@/lib/platform/request-context/acting";
import { auditStreamSecretBinding } from "@/lib/platform/sealing/bindings";
import { sealForTenant } from "@/lib/platform/sealing/store";
import { newId } from "@/lib/shared/ids";
import { getStreamOrThrow } from "./queries";
import type { CreateStreamInput } from "./schemas";
import { newStreamSecret } from "./send";

/** Where a stream sends, as its audit event names it: hosts and buckets, no path or query. */
function auditedDestination(config: AuditStreamConfig) {
  if (config.kind !== "s3") return { host: new URL(config.url).host };
  return {
    bucket: config.bucket,
    prefix: config.prefix,
    region: config.region,
    host: config.endpoint ? new URL(config.endpoint).host : null,
  };
}

function configOf(input: CreateStreamInput): { config: AuditStreamConfig; secret: string } {
  switch (input.kind) {
    case "webhook":
      assertForwardUrl(input.url, "url");
      return { config: { kind: "webhook", url: input.url }, secret: newStreamSecret() };
    case "splunk":
      assertForwardUrl(input.url, "url");
      return {
        config: { kind: "splunk", url: input.url, index: input.index },
        secret: input.token,
      };
    case "s3":
      assertForwardUrl(input.endpoint, "endpoint");
      return {
        config: {
          kind: "s3",
          endpoint: input.endpoint,
          region: input.region,
          bucket: input.bucket,
          prefix: input.prefix,
          accessKeyId: input.accessKeyId,
          forcePathStyle: input.forcePathStyle,
        },
        secret: input.secretAccessKey,
      };
  }
}

const sealSecret = (tx: Tx, tenantId: string, streamId: string, secret: string) =>
  sealForTenant("auditStreamSecret", auditStreamSecretBinding(tenantId, streamId), { secret }, tx);

/**
 * Creates a stream, audited in the same transaction. It starts after the current chain head
 * ("now": its own `audit_stream.created` is the first event it sends) or from the oldest event
 * still kept ("beginning"). Returns the webhook signing secret, shown this once.
 */
export async function createStream(
  acting: Acting,
  input: CreateStreamInput,
): Promise<{ id: string; secret: string | null }> {
  const { tenantId } = acting;
  const { config, secret } = configOf(input);
  const id = newId("auditStream");
  await getDb().transaction(async (tx) => {
    // Sealing may make the tenant's first vault key (an event of its own): sealed first, then
    // the head, locked, so no event is appended between reading it and starting after it.
    const sealed = await sealSecret(tx, tenantId, id, secret);
    const [head] = await tx
      .select({ seq: auditChainHeads.seq })
      .from(auditChainHeads)
      .where(eq(auditChainHeads.tenantId, tenantId))
      .for("update");
    const start = input.startFrom === "now" ? (head?.seq ?? 0) : 0;
    await tx.insert(auditStreams).values({
      id,
      tenantId,
      name: input.name,
      kind: input.kind,
      config,
      secretSealed: sealed.sealed,
      secretVaultKeyId: sealed.vaultKeyId,
      cursorSeq: start,
      checkpointSeq: start,
    });
    await recordAudit(tx, acting, {
      action: "audit_stream.created",
      outcome: "succeeded",
      target: { type: "audit_stream", id },
      details: {
        name: input.name,
        kind: input.kind,
        start_from: input.startFrom,
        destination: auditedDestination(config),
      },
    });
  });
  return { id, secret: config.kind === "webhook" ? secret : null };
}

type StreamChange = {
  set: Partial<typeof auditStreams.$inferInsert>;
  details: Record<string, unknown>;
};

/** Updates the tenant's stream (locked) and records `audit_stream.updated` with `details`. */
async function changeStream(
  acting: Acting,
  streamId: string,
  change: (tx: Tx, stream: AuditStream) => Promise<StreamChange | null> | StreamChange | null,
) {
  const { tenantId } = acting;
  await getStreamOrThrow({ tenantId, id: streamId });
  const scope = and(eq(auditStreams.tenantId, tenantId), eq(auditStreams.id, streamId));
  return getDb().transaction(async (tx) => {
    const [stream] = await tx.select().from(auditStreams).where(scope).for("update");
    if (!stream) throw new AppError("not_found", "Audit stream not found.");
    const result = await change(tx, stream);
    if (!result) return false;
    await tx.update(auditStreams).set(result.set).where(scope);
    await recordAudit(tx, acting, {
      action: "audit_stream.updated",
      outcome: "succeeded",
      target: { type: "audit_stream", id: streamId },
      details: { name: stream.name, kind: stream.kind, ...result.details },
    });
    return true;
  });
}

/**
 * Turns a stream on or off. Off, it keeps its cursor; on again, it sends everything since,
 * at once (a failing stream's backoff starts over). Returns whether anything changed.
 */
export function setStreamEnabled(acting: Acting, streamId: string, enabled: boolean) {
  return changeStream(acting, streamId, (_tx, stream) =>
    stream.enabled === enabled
      ? null
      : {
          set: {
            enabled,
            ...(enabled ? { nextAttemptAt: new Date(), consecutiveFailures: 0 } : {}),
          },
          details: { enabled: { from: stream.enabled, to: enabled } },
        },
  );
}

/**
 * Replaces the stream's secret: a new webhook signing secret made here (returned, shown once),
 * or the Splunk token / S3 secret key given. Takes effect with the next batch.
 */
export async function rotateStreamSecret(
  acting: Acting,
  streamId: string,
  given: string | undefined,
): Promise<string | null> {
  let shown: string | null = null;
  await changeStream(acting, streamId, async (tx, stream) => {
    const secret = stream.kind === "webhook" ? newStreamSecret() : given;
    if (!secret) {
      throw new AppError("invalid_input", "Enter the new secret.", {
        fieldErrors: {
          secret: [
            stream.kind === "splunk"
              ? "Enter the new HEC token."
              : "Enter the new secret access key.",
          ],
        },
      });
    }
    if (stream.kind === "webhook") shown = secret;
    const sealed = await sealSecret(tx, acting.tenantId, stream.id, secret);
    return {
      set: { secretSealed: sealed.sealed, secretVaultKeyId: sealed.vaultKeyId },
      details: { change: stream.kind === "webhook" ? "signing_key_regenerated" : "key_replaced" },
    };
  });
  return shown;
}

/** Deletes a stream (what it sent stays sent), audited in the same transaction. */
export async function deleteStream(acting: Acting, streamId: string): Promise<void> {
  const { tenantId } = acting;
  const stream = await getStreamOrThrow({ tenantId, id: streamId });
  await getDb().transaction(async (tx) => {
    await tx
      .delete(auditStreams)
      .where(and(eq(auditStreams.tenantId, tenantId), eq(auditStreams.id, streamId)));
    await recordAudit(tx, acting, {
      action: "audit_stream.deleted",
      outcome: "succeeded",
      target: { type: "audit_stream", id: streamId },
      details: {
        name: stream.name,
        kind: stream.kind,
        destination: auditedDestination(stream.config),
        cursor_seq: stream.cursorSeq,
      },
    });
  });
}

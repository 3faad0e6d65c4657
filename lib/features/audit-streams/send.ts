import "server-only";
import { randomBytes } from "node:crypto";
import { Agent as HttpsAgent } from "node:https";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Webhook } from "standardwebhooks";
import type { AuditStreamConfig } from "@/db/schema";
import { deploymentMode, forwardUrlProblem, guardedLookup } from "@/lib/platform/http/ssrf";
import { ndjson, type StreamItem } from "./batch";
import { postBatch } from "./post";

/** A batch to one stream: who it is for, what it holds, the stream's opened secret. */
export interface Send {
  streamId: string;
  tenantId: string;
  config: AuditStreamConfig;
  secret: string;
  items: StreamItem[];
  signal?: AbortSignal | undefined;
}

/** A new webhook signing secret in the Standard Webhooks form: `whsec_` + 32 random bytes. */
export const newStreamSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** Sends a batch; resolves once the receiver acknowledged it (2xx, or S3's PutObject). */
export async function sendBatch(send: Send): Promise<void> {
  const { config } = send;
  if (config.kind === "webhook") return sendWebhook(send, config.url);
  if (config.kind === "splunk") return sendSplunk(send, config);
  return sendS3(send, config);
}

/**
 * NDJSON signed the Standard Webhooks way: `webhook-id` names the batch by its first and last
 * ids (the same batch sent again has the same id), `webhook-signature` is `v1,<HMAC-SHA256 of
 * "id.timestamp.body">` under the stream's secret, so stock verifiers accept it.
 */
async function sendWebhook(send: Send, url: string) {
  const body = ndjson(send.items);
  const first = send.items[0];
  const last = send.items.at(-1);
  const id = `${first?.id ?? ""}..${last?.id ?? ""}`;
  const now = new Date();
  await postBatch(
    url,
    {
      "content-type": "application/x-ndjson",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(send.secret).sign(id, now, body),
      "x-pqseal-stream-id": send.streamId,
      "x-pqseal-first-seq": String(first?.seq ?? 0),
      "x-pqseal-last-seq": String(last?.seq ?? 0),
    },
    body,
    send.signal,
  );
}

/** The HEC event endpoint of a Splunk URL given as its base (`https://splunk:8088`). */
export function splunkEventUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/services/collector/event";
  return u.toString();
}

/**
 * Splunk HTTP Event Collector: one JSON object per event (`time` in epoch seconds, `source`,
 * `sourcetype`, optional `index`, the line as `event`), several per request.
 */
async function sendSplunk(send: Send, config: Extract<AuditStreamConfig, { kind: "splunk" }>) {
  const body = send.items
    .map((item) =>
      JSON.stringify({
        time: Date.parse(item.at) / 1000,
        source: `pqseal:${send.tenantId}`,
        sourcetype: item.type === "pqseal-audit-event" ? "pqseal:audit" : "pqseal:checkpoint",
        ...(config.index ? { index: config.index } : {}),
        event: item.line,
      }),
    )
    .join("\n");
  await postBatch(
    splunkEventUrl(config.url),
    { "content-type": "application/json", authorization: `Splunk ${send.secret}` },
    body,
    send.signal,
  );
}

/**
 * The object key of a batch: `<prefix>/<tenant>/<yyyy>/<mm>/<dd>/<first-seq>-<last-seq>.ndjson`
 * (UTC date of the first item; seqs zero-padded to 12 digits so keys list in order).
 */
export function objectKey(prefix: string, tenantId: string, items: StreamItem[]): string {
  const first = items[0];
  const last = items.at(-1);
  const day = (first?.at ?? new Date().toISOString()).slice(0, 10).split("-");
  const pad = (n: number) => String(n).padStart(12, "0");
  // Only checkpoints (signed late, of events already sent): named apart from the events' objects.
  const onlyCheckpoints = items.every((i) => i.type === "pqseal-audit-checkpoint");
  const name = `${pad(first?.seq ?? 0)}-${pad(last?.seq ?? 0)}${onlyCheckpoints ? ".checkpoints" : ""}`;
  return [prefix, tenantId, ...day, `${name}.ndjson`].filter(Boolean).join("/");
}

const S3_TIMEOUT_MS = 30_000;

/** One PutObject of the batch as NDJSON; the same batch sent again overwrites the same key. */
async function sendS3(send: Send, config: Extract<AuditStreamConfig, { kind: "s3" }>) {
  const problem = config.endpoint ? forwardUrlProblem(config.endpoint) : null;
  if (problem) throw new Error(`the endpoint ${problem}`);
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: send.secret },
    maxAttempts: 1,
    ...(deploymentMode() === "production"
      ? { requestHandler: { httpsAgent: new HttpsAgent({ lookup: guardedLookup }) } }
      : {}),
  });
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: config.bucket,
        Key: objectKey(config.prefix, send.tenantId, send.items),
        Body: ndjson(send.items),
        ContentType: "application/x-ndjson",
      }),
      {
        abortSignal: AbortSignal.any([
          AbortSignal.timeout(S3_TIMEOUT_MS),
          ...(send.signal ? [send.signal] : []),
        ]),
      },
    );
  } catch (e) {
    // The SDK's errors name the failure (AccessDenied, NoSuchBucket); never the credentials.
    throw new Error(e instanceof Error ? `S3 ${e.name}: ${e.message}`.slice(0, 300) : "S3 failed");
  } finally {
    client.destroy();
  }
}

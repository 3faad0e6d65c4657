// npm run seed:audit -- --events 1000000 [--tenant ten_…]
// Fills one tenant (a new "Bench tenant" unless --tenant is given) with realistic, correctly
// chained audit events spread over the last 30 days, against DATABASE_URL (or the embedded DB).
import { eq, sql } from "drizzle-orm";
import { ensureMigrated, getDb, getDbHandle } from "@/db";
import { auditChainHeads, auditEvents, tenants } from "@/db/schema";
import { newId } from "@/lib/shared/ids";
import { eventHash, GENESIS_HASH, type ChainRecord } from "@/lib/platform/audit/chain";
import { destinationFingerprint } from "@/lib/platform/phone/fingerprint";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// A small deterministic PRNG, so two seeds of the same size look alike.
let state = 42;
const rand = () => (state = (state * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const MIX: [string, number, string][] = [
  ["proxy.send_sms", 0.55, "succeeded"],
  ["proxy.create_verification", 0.1, "succeeded"],
  ["proxy.check_verification", 0.08, "succeeded"],
  ["proxy.list_messages", 0.02, "succeeded"],
  ["proxy.denied", 0.05, "denied"],
  ["webhook.received", 0.12, "succeeded"],
  ["webhook.rejected", 0.02, "denied"],
  ["proxy.make_call", 0.02, "failed"],
  ["auth.sign_in", 0.02, "succeeded"],
  ["auth.sign_in_failed", 0.01, "denied"],
  ["integration.updated", 0.01, "succeeded"],
];

function pickAction(): [string, string] {
  let r = rand();
  for (const [action, weight, outcome] of MIX) {
    if ((r -= weight) <= 0) return [action, outcome];
  }
  return ["proxy.send_sms", "succeeded"];
}

async function main() {
  const total = Number(arg("events") ?? 100_000);
  await ensureMigrated();
  const db = getDb();
  let tenantId = arg("tenant");
  if (!tenantId) {
    tenantId = newId("tenant");
    await db.insert(tenants).values({ id: tenantId, name: "Bench tenant" });
  }
  const [head] = await db
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.tenantId, tenantId));
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const keys = Array.from({ length: 20 }, (_, i) => ({
    id: newId("apiKey"),
    label: `qs_live_Bench${String(i).padStart(3, "0")}`,
  }));
  const users = Array.from({ length: 10 }, (_, i) => ({
    id: newId("user"),
    label: `user${i}@bench.test`,
  }));
  const integrations = Array.from({ length: 5 }, () => newId("integration"));
  const numbers = Array.from({ length: 5_000 }, (_, i) => `+1415555${String(i).padStart(4, "0")}`);
  const fingerprints = new Map(numbers.map((n) => [n, destinationFingerprint(tenantId, n)]));
  const end = Date.now();
  const start = Math.max(end - 30 * 86_400_000, head?.lastOccurredAt?.getTime() ?? 0);
  const step = (end - start) / total;
  const started = performance.now();
  const BATCH = 2_000;
  for (let done = 0; done < total;) {
    const rows: (typeof auditEvents.$inferInsert)[] = [];
    for (let i = 0; i < BATCH && done < total; i++, done++) {
      const [action, outcome] = pickAction();
      const machine = action.startsWith("proxy.") || action.startsWith("webhook.");
      const actor = machine ? pick(keys) : pick(users);
      const number =
        action.startsWith("proxy.") && action !== "proxy.list_messages" ? pick(numbers) : null;
      const fp = number ? fingerprints.get(number) : undefined;
      const integration = machine ? pick(integrations) : null;
      seq += 1;
      const occurredAt = new Date(Math.floor(start + step * done));
      const record: ChainRecord = {
        id: newId("audit"),
        tenant_id: tenantId,
        seq,
        occurred_at: occurredAt.toISOString(),
        actor_type: machine ? "api_key" : "user",
        actor_id: actor.id,
        actor_label: actor.label,
        action,
        target_type: integration ? "integration" : "user",
        target_id: integration ?? actor.id,
        integration_id: integration,
        outcome,
        ip: `198.51.100.${Math.floor(rand() * 250)}`,
        user_agent: machine ? "pqseal-sdk/1.0" : "Mozilla/5.0",
        request_id: `req_${seq}`,
        destination_hmac: fp?.hmac ?? null,
        destination_last2: fp?.last2 ?? null,
        details:
          action === "proxy.send_sms"
            ? { twilio_sid: `SM${seq.toString(16).padStart(32, "0")}`, segments: 1 }
            : outcome === "failed"
              ? { twilio_error: 21211 }
              : {},
      };
      const hash = eventHash(prevHash, record);
      rows.push({
        id: record.id,
        tenantId,
        seq,
        occurredAt,
        actorType: record.actor_type,
        actorId: record.actor_id,
        actorLabel: record.actor_label,
        action,
        targetType: record.target_type,
        targetId: record.target_id,
        integrationId: record.integration_id,
        outcome: outcome as "succeeded",
        ip: record.ip,
        userAgent: record.user_agent,
        requestId: record.request_id,
        destinationHmac: record.destination_hmac,
        destinationLast2: record.destination_last2,
        details: record.details,
        prevHash,
        hash,
      });
      prevHash = hash;
    }
    await db.insert(auditEvents).values(rows);
    if (done % 100_000 < BATCH)
      process.stdout.write(`\r${done.toLocaleString()} / ${total.toLocaleString()} events`);
  }
  const last = new Date(Math.floor(start + step * (total - 1)));
  await db
    .insert(auditChainHeads)
    .values({ tenantId, seq, hash: prevHash, lastOccurredAt: last, anchorHash: GENESIS_HASH })
    .onConflictDoUpdate({
      target: auditChainHeads.tenantId,
      set: { seq, hash: prevHash, lastOccurredAt: last },
    });
  await db.execute(sql`analyze audit_events`);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nseeded ${total.toLocaleString()} events into ${tenantId} in ${seconds.toFixed(1)} s`,
  );
  await getDbHandle().close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

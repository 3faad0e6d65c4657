// npm run bench:audit [-- --tenant ten_…] [--no-server]
// Against the real PostgreSQL (DATABASE_URL), on the tenant with the most events (seed it with
// npm run seed:audit -- --events 1000000): prints first-page latency p50/p95 for typical
// filters, export rows/s with peak RSS, and chain verification events/s, in this process;
// then the same verification and export through the production server's API
// (POST /api/v2/audit/verify, GET /api/v2/audit/export), as deployed. Figures, no asserts.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { getDb, getDbHandle } from "@/db";
import { auditChainHeads, auditEvents } from "@/db/schema";
import { env } from "@/lib/platform/config/env";
import { NO_REQUEST } from "@/lib/platform/http/request-meta";
import { startAuditExport } from "@/lib/features/audit/export-events";
import { listAuditEvents } from "@/lib/features/audit/queries";
import { SYSTEM_ACTOR } from "@/lib/platform/request-context/acting";
import { auditFiltersSchema } from "@/lib/features/audit/schemas";
import { verifyChain } from "@/lib/features/audit/verify-chain";
import { benchOwner, startProductionServer, waitFor } from "@/tools/bench/bench-server";

const RUNS = 50;
const EXPORT_HEAP_MB = 96;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function main() {
  if (!env().DATABASE_URL) throw new Error("bench:audit runs against PostgreSQL: set DATABASE_URL");
  const db = getDb();
  const tenantArg = process.argv.indexOf("--tenant");
  const [head] =
    tenantArg >= 0
      ? await db
          .select()
          .from(auditChainHeads)
          .where(eq(auditChainHeads.tenantId, process.argv[tenantArg + 1] ?? ""))
      : await db.select().from(auditChainHeads).orderBy(desc(auditChainHeads.seq)).limit(1);
  if (!head) throw new Error("no audit events: run npm run seed:audit first");
  const tenantId = head.tenantId;
  const [sample] = await db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const [keyRow] = await db
    .select({ actorId: auditEvents.actorId, integrationId: auditEvents.integrationId })
    .from(auditEvents)
    .where(eq(auditEvents.action, "proxy.send_sms"))
    .limit(1);
  // A seeded number (seed:audit uses +1415555NNNN) that has events in this tenant.
  let destination = "+14155550000";
  for (let i = 0; i < 5000; i++) {
    const candidate = `+1415555${String(i).padStart(4, "0")}`;
    const page = await listAuditEvents(tenantId, {
      ...auditFiltersSchema.parse({ destination: candidate }),
      limit: 1,
    });
    if (page.events.length > 0) {
      destination = candidate;
      break;
    }
  }
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const filters: [string, Record<string, string>][] = [
    ["no filter", {}],
    ["action=proxy.denied", { action: "proxy.denied" }],
    ["outcome=failed", { outcome: "failed" }],
    ["actor=<api key>", { actor: keyRow?.actorId ?? "" }],
    ["integration=<int>", { integration: keyRow?.integrationId ?? "" }],
    ["target=<id>", { target: sample?.targetId ?? "" }],
    ["destination=<number>", { destination }],
    ["last 24 h", { from: dayAgo }],
    ["7..1 days ago + action", { from: weekAgo, to: dayAgo, action: "webhook.rejected" }],
  ];
  console.log(
    `tenant ${tenantId}: ${head.seq.toLocaleString()} events (driver ${getDbHandle().driver})\n`,
  );
  console.log("first page (50 rows), %d runs each:", RUNS);
  for (const [label, raw] of filters) {
    const query = { ...auditFiltersSchema.parse(raw), limit: 50 };
    for (let i = 0; i < 5; i++) await listAuditEvents(tenantId, query);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      rows = (await listAuditEvents(tenantId, query)).events.length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `  ${label.padEnd(26)} p50 ${pct(times, 50).toFixed(1).padStart(6)} ms   p95 ${pct(times, 95).toFixed(1).padStart(6)} ms   (${rows} rows)`,
    );
  }

  // The export runs in a fresh process, so its peak RSS is the export's, not this bench's. It
  // runs twice: with V8's default heap (which grows lazily: garbage is collected late when
  // memory is plentiful) and with the old space capped at EXPORT_HEAP_MB, which shows the
  // export's real working set: streaming keeps it flat, so the cap costs no throughput.
  for (const heap of [[], [`--max-old-space-size=${EXPORT_HEAP_MB}`]]) {
    console.log(`\nexport process: node ${heap.join(" ") || "(default heap)"}`);
    const child = spawnSync(
      process.execPath,
      [...heap, ...process.execArgv, process.argv[1] ?? "", "--export-only", tenantId],
      {
        stdio: "inherit",
      },
    );
    if (child.status !== 0) throw new Error("export bench failed");
  }

  const v = await verifyChain(tenantId);
  console.log(
    `chain verification: ${v.checked.toLocaleString()} events in ${(v.durationMs / 1000).toFixed(1)} s = ${Math.round(v.checked / (v.durationMs / 1000)).toLocaleString()} events/s, ${v.workers} worker threads (ok: ${v.ok})`,
  );
  if (!process.argv.includes("--no-server")) await throughServer(tenantId);
  await getDbHandle().close();
}

const SERVER_PORT = 3320;

/** RSS of a process and its descendants, from /proc (Linux). */
function treeRss(pid: number): number {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const p of parent.keys()) {
    let q: number | undefined = p;
    while (q !== undefined && q !== pid && q > 1) q = parent.get(q);
    if (q !== pid) continue;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/** Verification and export as deployed: the production server, an audit:read API key. */
async function throughServer(tenantId: string) {
  const { createApiKey } = await import("@/lib/features/api-keys/service");
  const acting = await benchOwner(tenantId);
  const { key } = await createApiKey(acting, {
    name: "bench:audit",
    environment: "test",
    scopes: ["audit:read"],
  });
  const server = startProductionServer(
    SERVER_PORT,
    { DATABASE_URL: env().DATABASE_URL ?? "", AUDIT_CHECKPOINT_INTERVAL_MINUTES: "0" },
    [],
    "pipe",
  );
  // The server logs (JSON lines) a warning if worker threads could not start.
  const warnings: string[] = [];
  server.stdout?.setEncoding("utf8").on("data", (text: string) => {
    for (const line of text.split("\n")) if (/workers? failed/.test(line)) warnings.push(line);
  });
  const base = `http://127.0.0.1:${SERVER_PORT}`;
  try {
    await waitFor(`${base}/api/health`);
    const pid = server.pid ?? 0;
    console.log(`\nthrough the production server (npm start's server.js, pid ${pid}):`);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v2/audit/verify`, {
      method: "POST",
      headers: { "x-api-key": key },
    });
    const body = (await res.json()) as { ok: boolean; checked: number; worker_threads: number };
    const wall = (performance.now() - t0) / 1000;
    console.log(
      `  POST /api/v2/audit/verify: ${body.checked.toLocaleString()} events in ${wall.toFixed(1)} s = ${Math.round(body.checked / wall).toLocaleString()} events/s, ${body.worker_threads} worker threads (ok: ${body.ok})`,
    );

    const idle = treeRss(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(pid))), 50);
    const t1 = performance.now();
    const download = await fetch(`${base}/api/v2/audit/export?format=jsonl`, {
      headers: { "x-api-key": key },
    });
    let lines = 0;
    let bytes = 0;
    if (!download.body) throw new Error("export has no body");
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    }
    const seconds = (performance.now() - t1) / 1000;
    clearInterval(sampler);
    console.log(
      `  GET /api/v2/audit/export (JSONL): ${(lines - 2).toLocaleString()} rows in ${seconds.toFixed(1)} s = ${Math.round((lines - 2) / seconds).toLocaleString()} rows/s, ${(bytes / 1e6).toFixed(0)} MB; server RSS ${(idle / 2 ** 20).toFixed(0)} MiB idle, peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
    );
    if (warnings.length) console.log(`  worker threads failed, checked in process: ${warnings[0]}`);
  } finally {
    server.kill("SIGTERM");
  }
}

async function exportOnly(tenantId: string) {
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const { lines } = await startAuditExport({
    tenantId,
    filters: {},
    format: "jsonl",
    actor: SYSTEM_ACTOR,
    meta: { ...NO_REQUEST, requestId: "bench" },
  });
  let bytes = 0;
  let lineCount = 0;
  for await (const chunk of lines) {
    // As the download route does: each chunk is encoded to UTF-8 bytes.
    const data = Buffer.from(chunk);
    bytes += data.length;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) lineCount++;
  }
  const exportSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const events = lineCount - 2;
  console.log(
    `export (JSONL, all events): ${events.toLocaleString()} rows in ${exportSeconds.toFixed(1)} s = ${Math.round(events / exportSeconds).toLocaleString()} rows/s, ${(bytes / 1e6).toFixed(0)} MB, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (${(baseRss / 2 ** 20).toFixed(0)} MiB before the export)`,
  );

  await getDbHandle().close();
}

const exportIndex = process.argv.indexOf("--export-only");
(exportIndex >= 0 ? exportOnly(process.argv[exportIndex + 1] ?? "") : main()).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

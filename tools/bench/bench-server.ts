// Shared by the load benchmarks: a fresh benchmark database, the production server, waiting,
// the server's CPU time, open-loop load at a fixed rate.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { buildIsCurrent } from "@/tools/serve/build-stamp.mjs";

/** Drops and recreates `name` on the local PostgreSQL. */
export async function freshDatabase(name: string) {
  const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
}

export async function waitFor(url: string, seconds = 120) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

const SERVER_JS = ".next/standalone/server.js";

/**
 * The self-contained server `npm start` runs (.next/standalone/server.js), built first when
 * missing or stale. Its pid is the server's own (Next renames the process `next-server`).
 */
export function startProductionServer(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  stdout: "ignore" | "pipe" = "ignore",
) {
  if (!buildIsCurrent()) {
    console.log("no production build of these sources: node tools/serve/start.mjs --build …");
    const built = spawnSync(process.execPath, ["tools/serve/start.mjs", "--build"], {
      stdio: "inherit",
    });
    if (built.status !== 0) throw new Error("the production build failed");
  }
  return spawn(process.execPath, [...nodeArgs, path.resolve(SERVER_JS)], {
    env: {
      ...process.env,
      // server.js changes into .next/standalone; keep local data in the project's folder.
      PQSEAL_DATA_DIR: path.resolve(process.env.PQSEAL_DATA_DIR ?? ".data"),
      ...env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
    },
    stdio: ["ignore", stdout, "inherit"],
  });
}

/**
 * `count` production servers on ports `basePort`, `basePort + 1`, … sharing one database (as
 * instances behind a load balancer would), each up and healthy. `nodeArgs` go to the first only
 * (the one --profile reads).
 */
export async function startInstances(
  count: number,
  basePort: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
) {
  const servers = Array.from({ length: count }, (_, i) =>
    startProductionServer(basePort + i, env, i === 0 ? nodeArgs : []),
  );
  const origins = servers.map((_, i) => `http://127.0.0.1:${basePort + i}`);
  await Promise.all(origins.map((origin) => waitFor(`${origin}/api/health`)));
  return { servers, origins, pids: servers.map((server) => server.pid ?? 0) };
}

/**
 * autocannon spreads its connections over several URLs, round robin (lib/run.js), though its
 * types take one.
 */
export const spreadOver = (urls: string | string[]) => urls as unknown as string;

/** `--instances N`, at least 1. */
export const instancesArg = () => Math.max(1, Math.floor(numberArg("instances", 1)));

/** `--name N` as a number, else `fallback`. */
export function numberArg(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** SIGTERM, then wait (at most `seconds`) for the process to exit. */
export async function stopServer(server: ChildProcess, seconds = 30) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, seconds * 1000))]);
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU time (user + system, all threads) the processes `pids` have used so far, in ms. */
function processCpuMs(pids: number | number[]): number {
  if (Array.isArray(pids)) return pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const stat = readFileSync(`/proc/${pids}/stat`, "utf8");
  // Field 2, the command name, is in parentheses and may hold spaces: count from after it.
  // fields[0] is field 3 (state), so utime (field 14) and stime (15) are fields[11] and [12].
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Waits until the server is idle: a load generator that stops at its deadline leaves requests
 * the server is still working on, which would otherwise count against the next phase (and fill
 * its admission limit). Idle: under 5 % of a core over 250 ms, or 15 s at most.
 */
async function settle(pid: number | number[]) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const before = processCpuMs(pid);
    await new Promise((r) => setTimeout(r, 250));
    const idle = 12.5 * (Array.isArray(pid) ? pid.length : 1);
    if (processCpuMs(pid) - before < idle || Date.now() > deadline) return;
  }
}

/** Runs `load` on an idle server and returns its result with the server's CPU ms meanwhile. */
export async function withServerCpu<T>(pid: number | number[], load: () => Promise<T>) {
  await settle(pid);
  const before = processCpuMs(pid);
  const result = await load();
  return { result, cpuMs: processCpuMs(pid) - before };
}

/** A monotonic clock in µs, the one V8 stamps CPU profile samples with (CLOCK_MONOTONIC). */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
  /** The answers counted as errors, by status ("7 × 503"). */
  statuses?: string;
  /** Server CPU ms per served answer, when measured. */
  cpuMs?: number;
}

const byStatus = (counts: Iterable<[string, number]>) =>
  [...counts].map(([code, n]) => `${n} × ${code}`).join(", ");

/**
 * Closed-loop figures. `served` says which answers count: "2xx" for the route under test (run
 * it with excludeErrorStats so that the latencies are of those answers; anything else, such
 * as a 503 shed by the admission limit, counts as an error, by status), "any" for the floor,
 * whose answers are all refusals. `cpuMs`: the server's CPU time over the run.
 */
export function figuresOf(
  result: autocannon.Result,
  served: "2xx" | "any" = "2xx",
  cpuMs?: number,
): LoadFigures {
  const counted = served === "any" ? result.requests.total : result["2xx"];
  const others = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => served === "2xx" && !code.startsWith("2"))
    .map(([code, s]): [string, number] => [code, s.count ?? 0]);
  return {
    rps: counted / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // autocannon's errors include its timeouts.
    errors: result.errors + (served === "2xx" ? result.non2xx : 0),
    total: result.requests.total,
    statuses: byStatus(others),
    ...(cpuMs === undefined ? {} : { cpuMs: cpuMs / Math.max(counted, 1) }),
  };
}

/**
 * The framework's floor on this machine: the same server, connections and duration, but a
 * request the route refuses before doing any work (no database, no crypto). Whatever the real
 * route achieves, it cannot beat this. With `pid`, the server's CPU per answer too.
 */
export async function frameworkFloor(
  url: string | string[],
  connections: number,
  duration: number,
  pid?: number | number[],
): Promise<LoadFigures> {
  if (pid) await settle(pid);
  const before = pid ? processCpuMs(pid) : 0;
  const result = await autocannon({
    url: spreadOver(url),
    method: "POST",
    body: "{}",
    connections,
    duration,
  });
  return figuresOf(result, "any", pid ? processCpuMs(pid) - before : undefined);
}

export const figuresLine = (name: string, f: LoadFigures) =>
  `${name.padEnd(38)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   ${f.cpuMs === undefined ? " ".repeat(24) : `server CPU ${f.cpuMs.toFixed(2).padStart(6)} ms`}   errors ${f.errors} / ${f.total}${f.statuses ? ` (${f.statuses})` : ""}`;

interface OpenLoopFigures {
  offered: number;
  /** 2xx answers per second, from the first scheduled request to the last answer. */
  achieved: number;
  /** Of the 2xx answers, from each request's scheduled time. */
  p50: number;
  p99: number;
  /** Connection errors, plus requests still unanswered when the run gave up waiting. */
  errors: number;
  non2xx: number;
  /** The non-2xx answers by status ("7 × 503"). */
  statuses: string;
  ok: number;
  sent: number;
}

/**
 * Open loop at a fixed offered rate: request i is sent at start + i / rate whatever became of
 * the earlier ones, over at most `connections` keep-alive connections. A request that finds
 * every connection busy waits for one, and its latency counts from its scheduled time, so the
 * wait is in the figures (no coordinated omission); the load stays open only while fewer than
 * `connections` requests are in flight, which holds whenever the server keeps up.
 * autocannon's overallRate is not used: it gives each connection a quota per second that it
 * spends at once, so the requests leave in bursts at each second's start (100 at once for
 * 100 req/s), and its latency correction takes 1 / rate seconds for milliseconds.
 */
export async function openLoop(options: {
  /** Several: the requests go to each in turn (instances behind a round-robin balancer). */
  url: string | string[];
  rate: number;
  duration: number;
  connections: number;
  request: () => { body: string; headers: Record<string, string> };
}): Promise<OpenLoopFigures> {
  const { rate, duration, connections } = options;
  const urls = [options.url].flat();
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * duration);
  const latencies: number[] = [];
  let errors = 0;
  const statuses = new Map<string, number>();
  let answered = 0;
  let sent = 0;
  let lastAnswer = 0;
  const start = performance.now();
  let allAnswered = () => {};
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  const settle = () => {
    lastAnswer = performance.now();
    if (++answered === total) allAnswered();
  };
  const send = (due: number) => {
    const { body, headers } = options.request();
    const url = urls[sent % urls.length] ?? "";
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) latencies.push(performance.now() - due);
        else statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
        settle();
      });
    });
    req.on("error", () => {
      errors++;
      settle();
    });
    req.end(body);
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      for (; sent < due; sent++) send(start + (sent * 1000) / rate);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  // Wait for the stragglers, but not for ever: what is still unanswered counts as errors.
  await Promise.race([done, new Promise((r) => setTimeout(r, (duration + 10) * 1000))]);
  const unanswered = total - answered;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))] ?? 0;
  return {
    offered: rate,
    achieved: latencies.length / ((Math.max(lastAnswer, start + 1) - start) / 1000),
    p50: at(0.5),
    p99: at(0.99),
    errors: errors + unanswered,
    non2xx: [...statuses.values()].reduce((sum, n) => sum + n, 0),
    statuses: byStatus(statuses),
    ok: latencies.length,
    sent: total,
  };
}

export const openLoopHeader = () =>
  `${"offered".padStart(9)} ${"achieved".padStart(10)} ${"p50".padStart(10)} ${"p99".padStart(10)}   server CPU   errors / sent   non-2xx`;

/** `cpuMs`: the server's CPU time over the run, shown per 2xx answer. */
export const openLoopLine = (f: OpenLoopFigures, cpuMs: number) =>
  `${f.offered.toFixed(0).padStart(5)} /s ${f.achieved.toFixed(1).padStart(8)} /s ${f.p50.toFixed(1).padStart(7)} ms ${f.p99.toFixed(1).padStart(7)} ms   ${(cpuMs / Math.max(f.ok, 1)).toFixed(2).padStart(7)} ms   ${`${f.errors} / ${f.sent}`.padStart(13)}   ${String(f.non2xx).padStart(7)}${f.statuses ? ` (${f.statuses})` : ""}`;

/** `--name 1,2,3` as numbers, else `fallback`. */
export function numberListArg(name: string, fallback: number[]) {
  const i = process.argv.indexOf(`--${name}`);
  const text = i >= 0 ? process.argv[i + 1] : undefined;
  return text ? text.split(",").map(Number) : fallback;
}

/** A new user who owns `tenantId`, as the acting context the services take (benchmarks only). */
export async function benchOwner(tenantId: string) {
  const { getDb } = await import("@/db");
  const { memberships, users } = await import("@/db/schema");
  const { newId } = await import("@/lib/shared/ids");
  const { NO_REQUEST } = await import("@/lib/platform/http/request-meta");
  const userId = newId("user");
  const email = `${userId}@bench.test`;
  await getDb().insert(users).values({ id: userId, email, name: "bench", passwordHash: "x" });
  await getDb()
    .insert(memberships)
    .values({ id: newId("membership"), tenantId, userId, role: "owner" });
  return {
    tenantId,
    userId,
    role: "owner" as const,
    actor: { type: "user" as const, id: userId, label: email },
    meta: NO_REQUEST,
  };
}

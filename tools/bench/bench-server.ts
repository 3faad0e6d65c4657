// Shared by the load benchmarks: a fresh benchmark database, the production server, waiting.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import autocannon from "autocannon";
import postgres from "postgres";

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

/** `next start` of the production build (built first when missing), node running it directly. */
export function startProductionServer(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  stdout: "ignore" | "pipe" = "ignore",
) {
  if (!existsSync(".next/BUILD_ID")) {
    console.log("no production build: running next build …");
    const built = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("next build failed");
  }
  return spawn(
    process.execPath,
    [
      ...nodeArgs,
      "node_modules/next/dist/bin/next",
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    { env: { ...process.env, ...env }, stdio: ["ignore", stdout, "inherit"] },
  );
}

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  total: number;
}

export function figuresOf(result: autocannon.Result): LoadFigures {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/**
 * The framework's floor on this machine: the same server, connections and duration, but a
 * request the route refuses before doing any work (no database, no crypto). Whatever the real
 * route achieves, it cannot beat this.
 */
export async function frameworkFloor(
  url: string,
  connections: number,
  duration: number,
): Promise<LoadFigures> {
  const result = await autocannon({ url, method: "POST", body: "{}", connections, duration });
  return figuresOf(result);
}

export const figuresLine = (name: string, f: LoadFigures) =>
  `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s   p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   errors ${f.errors} / ${f.total}`;

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

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DOUBLE_URL, E2E_TWILIO } from "./helpers";

// Production servers (the self-contained bundle of the Playwright build) on a PostgreSQL
// database of their own, with one tenant seeded straight into it for the machine API
// (tools/seed/proxy-tenant.ts): what the several-instances and SDK package tests start.

type SeededTenant = {
  tenantId: string;
  integrationId: string;
  apiKey: string;
  clientKeyId: string;
  clientSecretKey: string;
};

export type SeededServers = {
  bases: string[];
  seeded: SeededTenant;
  stop: () => void;
};

const psql = (sql: string) => {
  const run = spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql]);
  if (run.status !== 0) throw new Error(`psql: ${run.stderr.toString()}`);
};

export async function startSeededServers(options: {
  database: string;
  ports: number[];
  webhookSecret: string;
  /** Environment beside the defaults (e.g. one PUBLIC_BASE_URL for every instance). */
  env?: Record<string, string>;
}): Promise<SeededServers> {
  const env = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production" as const,
    HOSTNAME: "127.0.0.1",
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${options.database}`,
    PQSEAL_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: "e2e-only-secret-not-for-production-use-0123456789",
    TWILIO_API_BASE_URL: DOUBLE_URL,
    TWILIO_VERIFY_BASE_URL: DOUBLE_URL,
    TWILIO_LOOKUP_BASE_URL: DOUBLE_URL,
    PQSEAL_JOBS: "off",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  psql(`drop database if exists ${options.database} with (force)`);
  psql(`create database ${options.database}`);
  const seed = spawnSync(
    "npx",
    [
      "tsx",
      "--conditions=react-server",
      "tools/seed/proxy-tenant.ts",
      "--account",
      E2E_TWILIO.accountSid,
      "--token",
      E2E_TWILIO.authToken,
      "--webhook-secret",
      options.webhookSecret,
    ],
    { env: { ...env, LOG_LEVEL: "silent" }, encoding: "utf8" },
  );
  if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);
  const seeded = JSON.parse(seed.stdout.trim().split("\n").at(-1) ?? "{}") as SeededTenant;
  const folder = mkdtempSync(path.join(tmpdir(), `${options.database}-`));
  const servers: ChildProcess[] = options.ports.map((port, i) =>
    spawn(process.execPath, [".next/standalone/server.js"], {
      env: { ...env, PORT: String(port), PQSEAL_DATA_DIR: path.join(folder, `i${i}`) },
      stdio: ["ignore", "ignore", "inherit"],
    }),
  );
  const stop = () => {
    for (const server of servers) server.kill("SIGTERM");
    rmSync(folder, { recursive: true, force: true });
  };
  const bases = options.ports.map((port) => `http://127.0.0.1:${port}`);
  const deadline = Date.now() + 120_000;
  for (const base of bases) {
    while ((await fetch(`${base}/api/health/ready`).catch(() => null))?.status !== 200) {
      if (Date.now() > deadline) {
        stop();
        throw new Error(`${base} did not become ready`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { bases, seeded, stop };
}

/** How many messages the Twilio double has been asked to send to `to`. */
export async function messagesTo(to: string): Promise<number> {
  const answer = (await (await fetch(`${DOUBLE_URL}/__control/requests`)).json()) as {
    requests: { path: string; params: Record<string, string> }[];
  };
  return answer.requests.filter((r) => r.path.endsWith("/Messages.json") && r.params.To === to)
    .length;
}

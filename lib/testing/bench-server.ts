// Shared by the load benchmarks: a fresh benchmark database, the production server, waiting.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
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
    { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] },
  ) as ChildProcess;
}

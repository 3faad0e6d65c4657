import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The self-contained server (`.next/standalone`, assembled by `npm run build` / `npm start`)
// copied into an empty folder outside the repository, started with plain `node server.js` and
// nothing from the checkout: a smoke run of what a Dockerfile ships.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 200;
const BASE = `http://127.0.0.1:${PORT}`;

let folder = "";
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "pqseal-bundle-"));
  cpSync(".next/standalone", folder, { recursive: true });
  server = spawn(process.execPath, ["server.js"], {
    cwd: folder,
    // Only what an operator sets: no variables of the test run, no path into the checkout.
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      PGLITE_DATA_DIR: "memory://",
      PQSEAL_DATA_DIR: path.join(folder, "data"),
      LOG_LEVEL: "warn",
      // No silent fallback to noble: the bundle must carry liboqs's WebAssembly modules.
      PQSEAL_CRYPTO_BACKEND: "liboqs",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${BASE}/api/health/ready`).catch(() => null);
    if (ready?.status === 200) break;
    if (Date.now() > deadline || server.exitCode !== null) {
      throw new Error(`the bundle did not become ready (exit ${server.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test("the self-contained server starts from a folder holding only the bundle", async ({ page }) => {
  // Nothing of the checkout came along: no sources, no dev tools.
  const top = readdirSync(folder);
  expect(top).toEqual(expect.arrayContaining(["server.js", "node_modules", "db", ".next"]));
  expect(top).not.toContain("lib");
  expect(readdirSync(path.join(folder, "node_modules"))).not.toContain("typescript");

  const health = (await (await fetch(`${BASE}/api/health`)).json()) as {
    migrations: { state: string };
  };
  expect(health.migrations.state).toBe("up_to_date");

  // The console renders with its scripts and styles from the bundle's static folder.
  const failed: string[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/_next/static/") && r.status() >= 400) failed.push(r.url());
  });
  await page.goto(`${BASE}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByLabel("Organisation (tenant) name")).toBeVisible();
  expect(failed).toEqual([]);
});

test("the worker in the bundle loads with the bundle's packages only", () => {
  // Without DATABASE_URL it refuses to start, with its message: every import resolved first.
  const run = spawnSync(process.execPath, [".next/worker/main.mjs"], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PQSEAL_CRYPTO_BACKEND: "liboqs" },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(run.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
  expect(run.stderr).toContain("needs DATABASE_URL");
  expect(run.status).toBe(1);
});

test("on SIGTERM the server finishes the request in flight, then exits", async () => {
  const running = server;
  if (!running) throw new Error("no server");
  const exited = new Promise<number | null>((resolve) =>
    running.once("exit", (code) => resolve(code)),
  );
  // A webhook whose body is still arriving when the signal comes: the handler is waiting for it.
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: PORT,
        method: "POST",
        path: `/api/v2/webhooks/twilio/int_${"0".repeat(26)}/sms`,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "20" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.write("Body=first-half&");
    setTimeout(() => {
      running.kill("SIGTERM");
      setTimeout(() => req.end("x=11"), 1000);
    }, 500);
  });
  // Answered in full (the integration does not exist: refused, not cut off).
  expect(status).toBe(403);
  expect(await exited).not.toBeNull();
  await expect(fetch(`${BASE}/api/health/live`)).rejects.toThrow();
});

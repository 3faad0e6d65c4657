import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { build } from "esbuild";
import { messagesTo, startSeededServers, type SeededServers } from "./seeded-server";

// The SDK as its users get it: `npm pack` of the @pqseal/sdk workspace, installed from the
// tarball into an empty folder, type-checked there, and used against a running production
// server from Node.js and from Chromium (docs/decisions/0013-sdk-package.md).
const PORT = Number(process.env.E2E_PORT ?? 3100) + 400;
const root = process.cwd();
let servers: SeededServers;
let folder = "";
let consumer = "";
let packed: { filename: string; files: { path: string }[] };
let credentials: Record<string, unknown>;

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  folder = mkdtempSync(path.join(tmpdir(), "pqseal-sdk-"));
  // prepack builds lib/shared/sdk/dist (tools/sdk/build.mjs) before the tarball is made.
  const out = run(
    "npm",
    ["pack", "-w", "@pqseal/sdk", "--json", "--pack-destination", folder],
    root,
  );
  packed = (JSON.parse(out.slice(out.indexOf("["))) as (typeof packed)[])[0] as typeof packed;
  consumer = path.join(folder, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    path.join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  // Its dependencies (@noble/*) come from npm's cache, filled by the project's own install.
  run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(folder, packed.filename)],
    consumer,
  );
  servers = await startSeededServers({
    database: "pqseal_e2e_sdk",
    ports: [PORT],
    webhookSecret: "e2eWebhookSigningSecret000000002",
  });
  const base = servers.bases[0] ?? "";
  const { seeded } = servers;
  // What the console's credentials file holds: the signing keys are pinned from GET /api/v2/keys.
  const keys = (await (
    await fetch(`${base}/api/v2/keys`, { headers: { "x-api-key": seeded.apiKey } })
  ).json()) as { signing_keys: { id: string; public_key: string }[] };
  credentials = {
    base_url: base,
    tenant_id: seeded.tenantId,
    api_key: seeded.apiKey,
    client_key_id: seeded.clientKeyId,
    client_secret_key: seeded.clientSecretKey,
    signing_public_keys: Object.fromEntries(keys.signing_keys.map((k) => [k.id, k.public_key])),
  };
});

test.afterAll(() => {
  servers?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

// The same script runs in Node.js and in the browser: a send, a forbidden operation, a tamper.
const SCRIPT = `
export async function story(sdk, credentialsJson, integrationId, to) {
  const client = sdk.createClient(sdk.credentialsFromFile(credentialsJson));
  const sent = await client.proxy.outbound(
    { integration_id: integrationId, operation: "send_sms", payload: { to, body: "from the package" } },
    { idempotencyKey: "package-" + to },
  );
  let forbidden = null;
  try {
    await client.proxy.outbound({ integration_id: integrationId, operation: "make_call", payload: { to, url: "https://example.com/twiml" } });
  } catch (error) {
    forbidden = { api: error instanceof sdk.PqsealApiError, sdk: sdk.isPqsealError(error), code: error.code, status: error.status, requestId: error.requestId };
  }
  const other = sdk.generateClientKeyPair();
  const stranger = sdk.createClient({ ...sdk.credentialsFromFile(credentialsJson), clientSecretKey: other.secretKey });
  let rejected = null;
  try {
    await stranger.proxy.outbound(
      { integration_id: integrationId, operation: "send_sms", payload: { to, body: "from the package" } },
      { idempotencyKey: "package-" + to },
    );
  } catch (error) {
    rejected = { envelope: error instanceof sdk.EnvelopeError, code: error.code };
  }
  return { success: sent.success, sid: sent.result.data?.sid ?? null, replayed: sent.replayed, forbidden, rejected };
}
`;

function expectStory(result: unknown) {
  expect(result).toMatchObject({
    success: true,
    sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    replayed: false,
    forbidden: {
      api: true,
      sdk: true,
      code: "operation_not_allowed",
      status: 403,
      requestId: expect.stringMatching(/^req_/),
    },
    // The stranger's replay of the same key is re-enveloped to the key's own client key.
    rejected: { envelope: true, code: "decryption_failed" },
  });
}

test("the tarball holds an ES module, one type declaration file, its README, and no sources", () => {
  const files = packed.files.map((f) => f.path).sort();
  expect(files).toEqual([
    "README.md",
    "dist/index.d.ts",
    "dist/index.js",
    "dist/index.js.map",
    "package.json",
  ]);
  // A TypeScript program of the user's type-checks against the installed declarations.
  writeFileSync(
    path.join(consumer, "check.ts"),
    `import { createClient, PqsealApiError, PqsealTimeoutError, KeyNotTrustedError, type OutboundResult } from "@pqseal/sdk";
const client = createClient({ baseUrl: "https://x", tenantId: "t", apiKey: "k", clientKeyId: "c", clientSecretKey: "", signingPublicKeys: {}, timeoutMs: 1000 });
export async function f(): Promise<OutboundResult | string> {
  try { return await client.proxy.outbound({ integration_id: "i", operation: "send_sms", payload: {} }, { idempotencyKey: "k" }); }
  catch (e) { return e instanceof PqsealApiError ? e.code : e instanceof PqsealTimeoutError ? String(e.timeoutMs) : e instanceof KeyNotTrustedError ? e.code : "other"; }
}
// @ts-expect-error: the declarations are strict (no such option), not \`any\`
createClient({ baseUrl: "https://x", tenantId: "t", apiKey: "k", clientKeyId: "c", clientSecretKey: "", signingPublicKeys: {}, nope: true });
`,
  );
  // Node's own resolution and a bundler's, as apps and libraries configure TypeScript.
  for (const [module, moduleResolution] of [
    ["nodenext", "nodenext"],
    ["esnext", "bundler"],
  ]) {
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module,
          moduleResolution,
          target: "es2022",
          lib: ["es2022", "dom"],
          noEmit: true,
          types: [],
        },
        files: ["check.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc")], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(tsc.stdout + tsc.stderr, moduleResolution).toBe("");
    expect(tsc.status, moduleResolution).toBe(0);
  }
});

test("in Node.js: sends through the running server, verified and decrypted; refusals are typed", async () => {
  const to = "+14155550171";
  writeFileSync(path.join(consumer, "story.mjs"), SCRIPT);
  writeFileSync(
    path.join(consumer, "main.mjs"),
    `import * as sdk from "@pqseal/sdk";
import { story } from "./story.mjs";
const [credentials, integrationId, to] = process.argv.slice(2);
console.log(JSON.stringify(await story(sdk, credentials, integrationId, to)));
`,
  );
  const out = run(
    process.execPath,
    ["main.mjs", JSON.stringify(credentials), servers.seeded.integrationId, to],
    consumer,
  );
  expectStory(JSON.parse(out));
  expect(await messagesTo(to)).toBe(1);
});

test("in Chromium: the same package, bundled for the browser, against the same server", async ({
  page,
}) => {
  const to = "+14155550172";
  writeFileSync(
    path.join(consumer, "browser.mjs"),
    `import * as sdk from "@pqseal/sdk";
import { story } from "./story.mjs";
window.pqsealStory = (credentials, integrationId, to) => story(sdk, credentials, integrationId, to);
`,
  );
  writeFileSync(path.join(consumer, "story.mjs"), SCRIPT);
  // Bundled from the consumer's node_modules, as a web app's bundler would.
  const bundle = await build({
    entryPoints: [path.join(consumer, "browser.mjs")],
    absWorkingDir: consumer,
    bundle: true,
    write: false,
    platform: "browser",
    format: "iife",
    target: "es2022",
    logLevel: "warning",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const base = servers.bases[0] ?? "";
  // A page of the server's origin (served here), so the SDK's fetch calls are same-origin.
  await page.route(`${base}/sdk-package-test`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>SDK</title><script>${script}</script>`,
    }),
  );
  await page.goto(`${base}/sdk-package-test`);
  const result = await page.evaluate(
    ([c, i, t]) =>
      (
        window as unknown as {
          pqsealStory: (c: string, i: string, t: string) => Promise<unknown>;
        }
      ).pqsealStory(c, i, t),
    [JSON.stringify(credentials), servers.seeded.integrationId, to] as const,
  );
  expectStory(result);
  expect(await messagesTo(to)).toBe(1);
});

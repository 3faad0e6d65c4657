// Bundles the worker (tools/worker/main.ts, `npm run worker`) into one ES module that plain
// Node runs without dev tools: TypeScript compiled, the `@/` alias resolved, `server-only`
// emptied (its guard is for browser bundles; this is server code). Packages that load native
// or WebAssembly files beside their own code stay outside, imported from node_modules at run
// time; `next` stays inside (its subpaths do not resolve as ES modules). Called by
// tools/serve/start.mjs with the Next build (npm run build / npm start / npm run worker).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WORKER_BUNDLE = path.join(root, ".next/worker/main.mjs");

// Only packages Next.js also keeps outside its server bundle (serverExternalPackages in
// next.config.mjs), so the self-contained server's node_modules holds them; everything else
// (twilio, the AWS SDK…) is bundled in. tools/serve/start.mjs checks they are there.
export const WORKER_EXTERNALS = ["@electric-sql/pglite", "@oqs/liboqs-js", "postgres", "pino"];

/** @type {import("esbuild").Plugin} */
const emptyServerOnly = {
  name: "empty-server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

/** Builds the worker into `outfile` (default .next/worker/main.mjs). */
export async function buildWorker(outfile = WORKER_BUNDLE) {
  const result = await build({
    entryPoints: [path.join(root, "tools/worker/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22.12",
    absWorkingDir: root,
    // Node's own conditions: not `react-server`, which would swap React for its server build.
    alias: { "@": root },
    plugins: [emptyServerOnly],
    external: WORKER_EXTERNALS,
    // CommonJS packages inside the bundle call require() (for Node's own modules, too) and may
    // read __dirname and __filename, which ES modules do not have.
    banner: {
      js: [
        'import { createRequire as pqsealCreateRequire } from "node:module";',
        'import { dirname as pqsealDirnameOf } from "node:path";',
        'import { fileURLToPath as pqsealFileURLToPath } from "node:url";',
        "const require = pqsealCreateRequire(import.meta.url);",
        "const pqsealFilename = pqsealFileURLToPath(import.meta.url);",
        "const pqsealDirname = pqsealDirnameOf(pqsealFilename);",
      ].join("\n"),
    },
    define: { __filename: "pqsealFilename", __dirname: "pqsealDirname" },
    tsconfig: path.join(root, "tsconfig.json"),
    metafile: true,
    logLevel: "warning",
  });
  // Code that finds a file beside itself (new URL("./x.mjs", import.meta.url), a worker
  // thread's script) would look in .next/worker/ once bundled, and fail only when it runs.
  const beside = Object.keys(result.metafile.inputs).filter(
    (file) =>
      !file.includes("node_modules") &&
      /\.(ts|mjs)$/.test(file) &&
      readFileSync(path.join(root, file), "utf8").includes("import.meta.url"),
  );
  if (beside.length > 0) {
    throw new Error(
      `the worker bundle cannot hold modules that load files beside themselves: ${beside.join(", ")}`,
    );
  }
}

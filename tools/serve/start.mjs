// `npm start`: build only when there is no production build of the current sources, then serve it.
//   node tools/serve/start.mjs [-p port] [-H host]      build if stale, then the self-contained
//                                                       server (.next/standalone/server.js)
//   node tools/serve/start.mjs --build                  build now (what `npm run build` does)
//   node tools/serve/start.mjs --worker [options…]      build if stale, then the worker
//                                                       (`npm run worker`, tools/worker/main.ts)
// The build is the Next build and the worker bundle (.next/worker/main.mjs), made together so
// they always hold the same sources, and fingerprinted by ./build-stamp.mjs.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { buildIsCurrent, sourcesHash, stampBuild } from "./build-stamp.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NEXT = path.join(root, "node_modules/next/dist/bin/next");
// Where tools/worker/build.mjs writes the worker (that module loads esbuild, a dev tool: it is
// imported only to build).
const WORKER = path.join(root, ".next/worker/main.mjs");

async function build(hash) {
  console.log("pqseal: building (no production build of these sources yet)");
  const result = spawnSync(process.execPath, [NEXT, "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // After `next build`, which empties .next/.
  const { buildWorker, WORKER_EXTERNALS } = await import("../worker/build.mjs");
  await buildWorker(WORKER);
  console.log(`pqseal: worker built (${path.relative(root, WORKER)})`);
  assembleBundle(WORKER_EXTERNALS);
  stampBuild(hash);
}

/**
 * The self-contained server: Next's standalone output (server.js and the node_modules it
 * traced) plus what it does not copy itself: the static assets, public/, the committed
 * migrations and the worker bundle. Copy `.next/standalone/` anywhere and run `node server.js`
 * (or `node .next/worker/main.mjs`) there; nothing else is needed (README, "Deploying").
 */
function assembleBundle(workerExternals) {
  const bundle = path.join(root, ".next/standalone");
  const copies = [
    [".next/static", ".next/static"],
    ["public", "public"],
    ["db/migrations", "db/migrations"],
    [".next/worker", ".next/worker"],
  ];
  for (const [from, to] of copies) {
    const source = path.join(root, from);
    if (existsSync(source)) cpSync(source, path.join(bundle, to), { recursive: true });
  }
  // next build copies the project's .env files into the bundle; secrets must not travel with it.
  for (const name of readdirSync(bundle)) {
    if (name.startsWith(".env")) rmSync(path.join(bundle, name));
  }
  // The worker imports these from the bundle's node_modules at run time.
  const missing = workerExternals.filter(
    (pkg) => !existsSync(path.join(bundle, "node_modules", pkg, "package.json")),
  );
  if (missing.length > 0) {
    console.error(`pqseal: the bundle lacks the worker's packages ${missing.join(", ")}`);
    process.exit(1);
  }
  console.log(`pqseal: self-contained server in ${path.relative(root, bundle)}/`);
}

/**
 * The environment `next start` would give the server, for the self-contained one: the
 * project's .env files, `-p/--port` and `-H/--hostname` as PORT and HOSTNAME, and local data
 * folders anchored to the project (server.js runs from .next/standalone, which a build empties).
 */
function serverEnv(argv) {
  nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error });
  // An inherited HOSTNAME (a container sets it to its own name) would narrow where the server
  // listens; like next start, listen on every interface unless -H says otherwise.
  const env = { ...process.env, HOSTNAME: "0.0.0.0" };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (flag === "-p" || flag === "--port") env.PORT = value;
    else if (flag === "-H" || flag === "--hostname") env.HOSTNAME = value;
    else throw new Error(`npm start: unknown option ${flag} (use -p/--port, -H/--hostname)`);
  }
  env.PQSEAL_DATA_DIR = path.resolve(root, env.PQSEAL_DATA_DIR || ".data");
  const pglite = env.PGLITE_DATA_DIR;
  if (pglite && !pglite.startsWith("memory://")) env.PGLITE_DATA_DIR = path.resolve(root, pglite);
  return env;
}

const args = process.argv.slice(2);
const hash = sourcesHash();
if (args[0] === "--build") {
  await build(hash);
  process.exit(0);
}
const worker = args[0] === "--worker";
const built = buildIsCurrent(hash);
if (built) console.log("pqseal: the production build is current; starting");
else await build(hash);

const child = worker
  ? spawn(process.execPath, [WORKER, ...args.slice(1)], { cwd: root, stdio: "inherit" })
  : spawn(process.execPath, [path.join(root, ".next/standalone/server.js")], {
      cwd: root,
      stdio: "inherit",
      env: serverEnv(args),
    });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

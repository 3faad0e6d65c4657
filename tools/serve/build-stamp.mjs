// The production build's fingerprint: a SHA-256 over every file that goes into it (sources,
// config, lock file; tests left out), kept beside the build in .next/pqseal-sources.sha256.
// tools/serve/start.mjs writes it after a build and reuses a build whose stamp matches; the
// benchmarks ask the same question before they start a server.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STAMP = path.join(root, ".next/pqseal-sources.sha256");
// What the build is made of: the self-contained server, its worker, and the server file itself.
const BUILT = [".next/BUILD_ID", ".next/worker/main.mjs", ".next/standalone/server.js"];
const INPUTS = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tools/worker",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
// Tests are not part of the build.
const SKIP = /\.(int\.)?test\.tsx?$/;

/**
 * @param {string} rel
 * @returns {Generator<string>}
 */
function* files(rel) {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) return;
  if (statSync(abs).isFile()) {
    yield rel;
    return;
  }
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (!SKIP.test(entry.name)) yield child;
  }
}

/** The fingerprint of the current sources. */
export function sourcesHash() {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of files(input)) {
      hash.update(`${file}\0`);
      hash.update(readFileSync(path.join(root, file)));
      hash.update("\0");
    }
  }
  return hash.digest("hex");
}

/**
 * Whether a complete build of exactly these sources (`hash`, default: now) is on disk.
 * @param {string} [hash]
 */
export function buildIsCurrent(hash = sourcesHash()) {
  return (
    BUILT.every((file) => existsSync(path.join(root, file))) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8").trim() === hash
  );
}

/**
 * Records that the build on disk was made from `hash`.
 * @param {string} hash
 */
export function stampBuild(hash) {
  writeFileSync(STAMP, `${hash}\n`);
}

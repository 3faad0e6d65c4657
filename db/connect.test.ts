import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "./connect";

const root = mkdtempSync(path.join(os.tmpdir(), "pqseal-pglite-modes-"));
const dir = path.join(root, "pglite");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (p: string) => lstatSync(p).mode & 0o777;

/** How many entries under `top` (itself included) group or others may use, and the first few. */
function loose(top: string) {
  const found: string[] = [];
  const walk = (p: string) => {
    const stat = lstatSync(p);
    if (stat.mode & 0o077) found.push(`${path.relative(top, p) || "."} ${modeOf(p).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
  };
  walk(top);
  return { count: found.length, first: found.slice(0, 5) };
}

function loosen(p: string) {
  chmodSync(p, lstatSync(p).isDirectory() ? 0o777 : 0o666);
  if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) loosen(path.join(p, name));
}

// Under the umask with which 969 of 1,126 files came out 0666 (issue #14); restored after.
async function underPermissiveUmask(run: () => Promise<void>) {
  const umask = process.umask(0);
  try {
    await run();
  } finally {
    process.umask(umask);
  }
}

// PGlite's first start (initdb) takes seconds, more on a busy machine.
describe("PGlite data folder modes", { timeout: 60_000 }, () => {
  it("creates the folder 0700 and its files 0600, even under a permissive umask", async () => {
    await underPermissiveUmask(async () => {
      const handle = connect({ pgliteDataDir: dir });
      await handle.query("create table t (v text)", []);
      await handle.query("insert into t values ($1)", ["kept"]);
      await handle.close();
    });
    expect(loose(dir)).toEqual({ count: 0, first: [] });
    expect(modeOf(dir)).toBe(0o700);
  });

  it("repairs a folder written with loose modes before", async () => {
    loosen(dir);
    await underPermissiveUmask(async () => {
      const handle = connect({ pgliteDataDir: dir });
      expect(await handle.query("select v from t", [])).toEqual([{ v: "kept" }]);
      await handle.close();
    });
    expect(loose(dir)).toEqual({ count: 0, first: [] });
    expect(modeOf(dir)).toBe(0o700);
  });

  it("refuses a symlinked PGLITE_DATA_DIR with a message (PGlite cannot open one)", () => {
    const link = path.join(root, "linked");
    symlinkSync(dir, link);
    expect(() => connect({ pgliteDataDir: link })).toThrow(/is a symlink.*real folder/);
  });
});

// Where the server's CPU time went, from the V8 CPU profile `node --cpu-prof` writes when the
// server stops (benches' --profile): the top self-time entries and a breakdown by package.
// The server runs minified bundles (.next/server/chunks/*.js); their source maps, which the
// build leaves in .next/server, turn positions back into files of the repository and of
// node_modules. Shared by tools/bench/proxy.ts and tools/bench/webhooks.ts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(".");
const PROFILE_DIR = path.resolve(".data/profiles");
/** Node options for the server: an absolute folder, since server.js changes directory. */
export const PROFILE_ARGS = ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`];

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The main thread's profile of process `pid` (node names it CPU.<date>.<time>.<pid>.<thread>.
 * <seq>.cpuprofile, thread 0 the main one), waiting up to `seconds` for it to appear.
 */
export async function serverProfile(pid: number, seconds = 30) {
  const pattern = new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`);
  for (let i = 0; i < seconds * 4; i++) {
    const name = existsSync(PROFILE_DIR)
      ? readdirSync(PROFILE_DIR)
          .filter((f) => pattern.test(f))
          .sort()
          .at(-1)
      : undefined;
    if (name) {
      const file = path.join(PROFILE_DIR, name);
      try {
        return { file, profile: JSON.parse(readFileSync(file, "utf8")) as CpuProfile };
      } catch {
        // still being written
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no CPU profile of process ${pid} in ${PROFILE_DIR}`);
}

// Source maps (v3, plain or sectioned): only the maps of files seen in the profile are read.
interface RawMap {
  sources?: string[];
  sourcesContent?: (string | null)[];
  names?: string[];
  mappings?: string;
  sourceRoot?: string;
  sections?: { offset: { line: number; column: number }; map: RawMap }[];
}
interface Original {
  file: string;
  line: number;
  name?: string | undefined;
  /** The original line's text, when the map carries the source. */
  text?: string | undefined;
}
type Lookup = (line: number, column: number) => Original | undefined;

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeVlq(text: string) {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = DIGIT.get(ch) ?? 0;
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function lookupIn(map: RawMap, mapDir: string): Lookup {
  if (map.sections) {
    const sections = map.sections.map((s) => ({ ...s.offset, lookup: lookupIn(s.map, mapDir) }));
    return (line, column) => {
      const s = sections.findLast((x) => x.line < line || (x.line === line && x.column <= column));
      return s?.lookup(line - s.line, line === s.line ? column - s.column : column);
    };
  }
  const sources = (map.sources ?? []).map((s) => {
    const withoutScheme = s.replace(/^[a-z]+:\/\/\/?(\[project\]\/)?/, "");
    const file = decodeURIComponent(withoutScheme);
    return withoutScheme === s ? path.resolve(mapDir, map.sourceRoot ?? "", file) : file;
  });
  // Per generated line: [column, source, original line, name] of each segment, in order.
  const lines: number[][][] = [];
  let source = 0;
  let originalLine = 0;
  let name = 0;
  for (const text of (map.mappings ?? "").split(";")) {
    const segments: number[][] = [];
    let column = 0;
    for (const segment of text ? text.split(",") : []) {
      const v = decodeVlq(segment);
      column += v[0] ?? 0;
      if (v.length < 4) continue;
      source += v[1] ?? 0;
      originalLine += v[2] ?? 0;
      if (v.length >= 5) name += v[4] ?? 0;
      segments.push([column, source, originalLine, v.length >= 5 ? name : -1]);
    }
    lines.push(segments);
  }
  return (line, column) => {
    const segment = lines[line]?.findLast(([c = 0]) => c <= column);
    if (!segment) return undefined;
    const [, s = 0, l = 0, n = -1] = segment;
    const file = sources[s];
    const text = map.sourcesContent?.[s]?.split("\n", l + 1)[l];
    return file ? { file, line: l + 1, name: map.names?.[n], text } : undefined;
  };
}

const lookups = new Map<string, Lookup | undefined>();
function sourceMapFor(file: string) {
  if (!lookups.has(file)) {
    // The standalone bundle holds copies of .next/server's files but not their maps.
    const candidates = [
      `${file}.map`,
      `${file.replace("/.next/standalone/.next/", "/.next/")}.map`,
    ];
    const mapFile = candidates.find((f) => existsSync(f));
    lookups.set(
      file,
      mapFile
        ? lookupIn(JSON.parse(readFileSync(mapFile, "utf8")) as RawMap, path.dirname(mapFile))
        : undefined,
    );
  }
  return lookups.get(file);
}

interface Place {
  name: string;
  where: string;
  group: string;
}

const SPECIAL = new Set(["(garbage collector)", "(program)", "(idle)", "(root)"]);

let packages: string[] | undefined;
const owners = new Map<string, string | undefined>();
/**
 * A package's own source maps may name sources outside it (drizzle-orm's `../src/entity.ts`
 * beside its `entity.js`), which the build records as node_modules/src/entity.ts: the owner
 * is the one package that ships the compiled file with a map.
 */
function ownerOf(modules: string, rest: string) {
  if (!owners.has(rest)) {
    packages ??= readdirSync(modules).flatMap((name) =>
      name.startsWith("@")
        ? readdirSync(path.join(modules, name)).map((sub) => `${name}/${sub}`)
        : [name],
    );
    const compiled = `${rest.replace(/^src\//, "").replace(/\.tsx?$/, ".js")}.map`;
    const found = packages.filter((pkg) => existsSync(path.join(modules, pkg, compiled)));
    owners.set(rest, found.length === 1 ? found[0] : undefined);
  }
  return owners.get(rest);
}

/** Package of a path inside node_modules (`next`, `@oqs/liboqs-js`), else undefined. */
function packageOf(file: string) {
  const i = file.lastIndexOf("node_modules/");
  if (i < 0) return undefined;
  const modules = file.slice(0, i + "node_modules".length);
  const rest = file.slice(i + "node_modules/".length);
  const parts = rest.split("/");
  const pkg = (parts[0]?.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]) ?? "?";
  if (existsSync(path.join(modules, pkg, "package.json"))) return { pkg, short: rest };
  const owner = ownerOf(modules, rest);
  return owner
    ? { pkg: owner, short: `${owner}/${rest}` }
    : { pkg: `unknown package (node_modules/${pkg})`, short: rest };
}

function placeOf(frame: CallFrame): Place {
  const generatedName = frame.functionName || "(anonymous)";
  if (SPECIAL.has(frame.functionName) && !frame.url) {
    return { name: frame.functionName, where: "", group: frame.functionName };
  }
  if (!frame.url) return { name: generatedName, where: "(native)", group: "native (V8, C++)" };
  if (frame.url.startsWith("node:")) {
    return {
      name: generatedName,
      where: `${frame.url}:${frame.lineNumber + 1}`,
      group: "node internals",
    };
  }
  if (!frame.url.startsWith("file:") && !frame.url.startsWith("/")) {
    const group = frame.url.startsWith("wasm:") ? "WebAssembly" : "other scripts";
    return { name: generatedName, where: frame.url, group };
  }
  const generated = frame.url.startsWith("file:") ? fileURLToPath(frame.url) : frame.url;
  const original = sourceMapFor(generated)?.(frame.lineNumber, frame.columnNumber);
  const file = original?.file ?? generated;
  const line = original?.line ?? frame.lineNumber + 1;
  // Bundles are minified: a name of one or two letters is the minifier's; the original line
  // usually declares the function (`function toB64(`, `const is = (`, `  execute(`).
  const declared =
    /function\*?\s*([\w$]+)|([\w$]+)\s*[=:]\s*(?:async\s*)?(?:function|\(|[\w$]+\s*=>)|^\s*(?:async\s+|static\s+|get\s+|set\s+)*([\w$]+)\s*\(/.exec(
      original?.text ?? "",
    );
  const minified = original !== undefined && frame.functionName.length <= 2;
  const name =
    original?.name ?? (minified ? declared?.slice(1).find(Boolean) : undefined) ?? generatedName;
  const inPackage = packageOf(file);
  if (inPackage) return { name, where: `${inPackage.short}:${line}`, group: inPackage.pkg };
  const rel = path.relative(ROOT, file).replace(/^\.next\/standalone\//, "");
  if (rel.startsWith("[turbopack]")) return { name, where: `${rel}:${line}`, group: "next" };
  if (rel.startsWith(".next/")) {
    return {
      name,
      where: `${rel}:${line}:${frame.columnNumber + 1}`,
      group: "build output without a source map",
    };
  }
  // The repository's own code by folder: lib/<layer>/<feature or module>, else its top folder.
  const dirs = rel.split("/").slice(0, -1);
  return {
    name,
    where: `${rel}:${line}`,
    group: `pqseal ${dirs.slice(0, dirs[0] === "lib" ? 3 : 1).join("/") || rel}`,
  };
}

const percent = (part: number, whole: number) =>
  `${((100 * part) / Math.max(whole, 1)).toFixed(1).padStart(5)} %`;

/**
 * The summary as printable lines: self time per function (top `top`) as a share of all
 * samples, and per package as a share of the non-idle time. With `window` (µs on the
 * monotonic clock the profile's timestamps use) only the samples taken inside it count.
 */
export function profileSummary(
  profile: CpuProfile,
  window?: { from: number; to: number; label: string },
  top = 20,
): string[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfTime = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window.from || t > window.to)) return;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
    total += delta;
  });
  if (window && total === 0) {
    return [`no samples inside ${window.label}; the whole run instead`, ...profileSummary(profile)];
  }
  const byPlace = new Map<string, { place: Place; time: number }>();
  const byGroup = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const frame = frames.get(id);
    if (!frame) continue;
    const place = placeOf(frame);
    const key = `${place.name}\u0000${place.where}`;
    const entry = byPlace.get(key) ?? { place, time: 0 };
    entry.time += time;
    byPlace.set(key, entry);
    byGroup.set(place.group, (byGroup.get(place.group) ?? 0) + time);
  }
  const idle = byGroup.get("(idle)") ?? 0;
  const busy = total - idle;
  const lines = [
    window
      ? `${window.label}: ${(total / 1e6).toFixed(1)} s of samples, ${percent(idle, total).trim()} idle`
      : `whole run: ${(total / 1e6).toFixed(1)} s of samples, ${percent(idle, total).trim()} idle`,
    `top ${top} by self time (% of samples):`,
    ...[...byPlace.values()]
      .sort((a, b) => b.time - a.time)
      .slice(0, top)
      .map(
        ({ place, time }) =>
          `  ${percent(time, total)}  ${place.name.slice(0, 40).padEnd(40)} ${place.where}`,
      ),
    "by package (% of non-idle time):",
  ];
  const groups = [...byGroup.entries()]
    .filter(([group]) => group !== "(idle)")
    .sort((a, b) => b[1] - a[1]);
  const shown = groups.filter(([, time]) => time >= busy * 0.002);
  for (const [group, time] of shown) lines.push(`  ${percent(time, busy)}  ${group}`);
  const rest = groups.slice(shown.length);
  if (rest.length > 0) {
    const time = rest.reduce((sum, [, t]) => sum + t, 0);
    lines.push(`  ${percent(time, busy)}  ${rest.length} more, each under 0.2 %`);
  }
  return lines;
}

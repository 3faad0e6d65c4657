// Builds the SDK package (lib/shared/sdk, published as @pqseal/sdk) into lib/shared/sdk/dist:
// one ES module with the browser-safe crypto it uses (lib/shared/crypto) inlined and the @noble
// packages left as dependencies, and one bundled type declaration file. `npm pack -w
// @pqseal/sdk` runs it (prepack); docs/decisions/0013-sdk-package.md says why it is built so.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateDtsBundle } from "dts-bundle-generator";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkgDir = path.join(root, "lib/shared/sdk");
const dist = path.join(pkgDir, "dist");
const entry = path.join(pkgDir, "index.ts");
const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// `neutral`: no Node.js built-ins resolve, so one slipping in fails the build, not a browser.
const result = await build({
  entryPoints: [entry],
  outfile: path.join(dist, "index.js"),
  bundle: true,
  platform: "neutral",
  format: "esm",
  target: "es2022",
  mainFields: ["module", "main"],
  absWorkingDir: root,
  alias: { "@": root },
  tsconfig: path.join(root, "tsconfig.json"),
  external: Object.keys(pkg.dependencies),
  banner: { js: `// ${pkg.name} ${pkg.version}` },
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
});

// Every module in the bundle must come from lib/shared (no server code, no Next.js).
const outside = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("lib/shared/"));
if (outside.length > 0) {
  throw new Error(`the SDK bundle would include code outside lib/shared: ${outside.join(", ")}`);
}

const [declarations] = generateDtsBundle(
  [{ filePath: entry, output: { noBanner: true, exportReferencedTypes: false } }],
  { preferredConfigPath: path.join(root, "tsconfig.json") },
);
writeFileSync(path.join(dist, "index.d.ts"), `// ${pkg.name} ${pkg.version}\n${declarations}`);
console.log(`sdk: built ${path.relative(root, dist)} (${pkg.name} ${pkg.version})`);

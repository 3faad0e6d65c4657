// npm run audit:verify -- <export.jsonl|export.csv> [--fingerprint <sha256 hex of the signing key>]
// Verifies an exported audit file offline: every event's hash, the links between consecutive
// events, and the ML-DSA-65 signature of the checkpoint at the end. Exit code 0 only if valid.
import { readFileSync } from "node:fs";
import { verifyExport } from "@/lib/features/audit/verify-export";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const fpIndex = args.indexOf("--fingerprint");
const fingerprint = fpIndex >= 0 ? args[fpIndex + 1] : undefined;
if (!file) {
  console.error("usage: npm run audit:verify -- <file> [--fingerprint <hex>]");
  process.exit(2);
}
const result = verifyExport(readFileSync(file, "utf8"), fingerprint);
console.log(JSON.stringify(result, null, 2));
if (!fingerprint && result.checkpoint) {
  console.log(
    `\nNote: pin the key: compare ${result.checkpoint.fingerprint} with the fingerprint in the console (Settings) before trusting this file.`,
  );
}
process.exit(result.ok ? 0 : 1);

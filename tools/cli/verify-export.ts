// npm run audit:verify -- <export.jsonl|export.csv> --fingerprint <sha256 hex> [--strict]
//                        (or --unpinned instead of --fingerprint, to accept any signing key)
// Verifies an exported audit file offline: the signed header, every event's hash, the links
// between consecutive events, and the ML-DSA-65 signature of the checkpoint at the end.
// Exit code 0 only if every check passes. Without a pinned fingerprint a file re-signed with an
// attacker's own key would verify, so success needs --fingerprint (or an explicit --unpinned).
import { readFileSync } from "node:fs";
import { verifyExport } from "@/lib/features/audit/verify-export";

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--fingerprint");
const fpIndex = args.indexOf("--fingerprint");
const fingerprint = fpIndex >= 0 ? args[fpIndex + 1] : undefined;
const unpinned = args.includes("--unpinned");
const strict = args.includes("--strict");
if (!file) {
  console.error(
    "usage: npm run audit:verify -- <file> (--fingerprint <hex> | --unpinned) [--strict]",
  );
  process.exit(2);
}
const result = verifyExport(readFileSync(file, "utf8"), fingerprint, { strict });
if (!fingerprint && !unpinned) {
  result.ok = false;
  result.problems.push(
    "no signing key pinned: pass --fingerprint <hex> (Settings shows it), or --unpinned to accept any key",
  );
}
console.log(JSON.stringify(result, null, 2));
process.exit(result.ok ? 0 : 1);

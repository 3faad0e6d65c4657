// Sends one SMS through PQSEAL and prints the verified, decrypted result.
//   npx tsx tools/sdk-examples/send-sms.ts <credentials.json> <integration_id> <to> [body]
//       [--idempotency-key <key>]
// The credentials file is the one the console offers when it creates an API key; the SDK
// follows later signing-key rotations from the key it pins (docs/ENVELOPE.md §9.1).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createClient, credentialsFromFile } from "@/lib/shared/sdk/index";
import { describeFailure } from "./report-error";

const args = process.argv.slice(2);
const flag = args.indexOf("--idempotency-key");
const idempotencyKey = (flag >= 0 ? args[flag + 1] : undefined) ?? randomUUID();
const [file, integrationId, to, body = "Hello from PQSEAL"] =
  flag >= 0 ? args.filter((_, i) => i !== flag && i !== flag + 1) : args;
if (!file || !integrationId || !to) {
  console.error(
    "usage: send-sms.ts <credentials.json> <integration_id> <to> [body] [--idempotency-key <key>]",
  );
  process.exit(2);
}

function clientFrom(file: string) {
  try {
    return createClient(credentialsFromFile(readFileSync(file, "utf8")));
  } catch (error) {
    console.error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

async function main(file: string, integrationId: string, to: string, body: string) {
  const client = clientFrom(file);
  try {
    // The same key on a retry answers with the stored result instead of sending again.
    const result = await client.proxy.outbound(
      { integration_id: integrationId, operation: "send_sms", payload: { to, body } },
      { idempotencyKey },
    );
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = result.success ? 0 : 1;
  } catch (error) {
    const failure = describeFailure(error, idempotencyKey);
    console.error(failure.line);
    process.exitCode = failure.exitCode;
  }
}

void main(file, integrationId, to, body);

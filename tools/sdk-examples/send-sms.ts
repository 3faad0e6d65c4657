// Sends one SMS through PQSEAL and prints the verified, decrypted result.
//   npx tsx tools/sdk-examples/send-sms.ts <credentials.json> <integration_id> <to> [body]
// The credentials file is the one the console offers when it creates an API key.
import { readFileSync } from "node:fs";
import { createClient, credentialsFromFile, PqsealApiError } from "@/lib/shared/sdk";

const [file, integrationId, to, body = "Hello from PQSEAL"] = process.argv.slice(2);
if (!file || !integrationId || !to) {
  console.error("usage: send-sms.ts <credentials.json> <integration_id> <to> [body]");
  process.exit(2);
}
async function main(file: string, integrationId: string, to: string, body: string) {
  const client = createClient(credentialsFromFile(readFileSync(file, "utf8")));
  try {
    const result = await client.proxy.outbound({
      integration_id: integrationId,
      operation: "send_sms",
      payload: { to, body },
    });
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = result.success ? 0 : 1;
  } catch (error) {
    if (error instanceof PqsealApiError) {
      console.error(
        JSON.stringify({ status: error.status, code: error.code, message: error.message }),
      );
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

void main(file, integrationId, to, body);

// Starts the Twilio double for e2e runs, local development and the proxy benchmark:
//   tsx tools/twilio-double/cli.ts --port 4999
// Accounts come from TWILIO_DOUBLE_ACCOUNTS: "AC…:token[,SK…:secret];AC…:token".
import { startTwilioDouble, type DoubleAccount } from "./double";

const port = Number(process.argv[process.argv.indexOf("--port") + 1] || 4999);
const spec = process.env.TWILIO_DOUBLE_ACCOUNTS ?? "";
const accounts: DoubleAccount[] = spec
  .split(";")
  .filter(Boolean)
  .map((entry) => {
    const [main = "", ...keys] = entry.split(",");
    const [sid = "", authToken = ""] = main.split(":");
    return {
      sid,
      authToken,
      apiKeys: keys.map((k) => {
        const [keySid = "", secret = ""] = k.split(":");
        return { sid: keySid, secret };
      }),
    };
  });

void startTwilioDouble({ port, accounts }).then((d) => {
  console.log(`Twilio double listening on ${d.url} (${accounts.length} accounts)`);
});

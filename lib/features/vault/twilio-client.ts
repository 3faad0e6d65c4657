import "server-only";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { env } from "@/lib/platform/config/env";
import type { CredentialValues } from "./schemas";

// Twilio's base URLs are configurable so tests, local runs and the benchmark point the official
// SDK at a double (TWILIO_API_BASE_URL / TWILIO_VERIFY_BASE_URL / TWILIO_LOOKUP_BASE_URL). The
// SDK builds absolute URLs for api.twilio.com, verify.twilio.com and lookups.twilio.com; this
// client rewrites only their origin.
class RoutedRequestClient extends twilio.RequestClient {
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const config = env();
    opts.uri = opts.uri
      .replace(/^https:\/\/api\.twilio\.com/, config.TWILIO_API_BASE_URL.replace(/\/+$/, ""))
      .replace(/^https:\/\/verify\.twilio\.com/, config.TWILIO_VERIFY_BASE_URL.replace(/\/+$/, ""))
      .replace(
        /^https:\/\/lookups\.twilio\.com/,
        config.TWILIO_LOOKUP_BASE_URL.replace(/\/+$/, ""),
      );
    opts.timeout = config.TWILIO_TIMEOUT_MS;
    return super.request<TData>(opts);
  }
}

const globalForClient = globalThis as unknown as { pqsealTwilioHttp?: RoutedRequestClient };

/** One keep-alive HTTP client for the process; never retries on its own (autoRetry off). */
function httpClient() {
  globalForClient.pqsealTwilioHttp ??= new RoutedRequestClient({
    keepAlive: true,
    timeout: env().TWILIO_TIMEOUT_MS,
    autoRetry: false,
  });
  return globalForClient.pqsealTwilioHttp;
}

/** A credential that authenticates to Twilio's REST API (a webhook_secret only checks signatures). */
export type TwilioCredential =
  | { type: "basic_auth"; values: CredentialValues<"basic_auth"> }
  | { type: "api_key"; values: CredentialValues<"api_key"> };

// One SDK client per unsealed credential object: the vault keeps an unsealed credential for a
// few seconds on the hot path, and its client lives exactly as long (a WeakMap entry).
const clients = new WeakMap<TwilioCredential, twilio.Twilio>();

/** A Twilio SDK client for an unsealed credential: Basic auth or API-key auth. */
export function twilioClientFor(credential: TwilioCredential): twilio.Twilio {
  let client = clients.get(credential);
  if (!client) clients.set(credential, (client = newClient(credential)));
  return client;
}

function newClient(credential: TwilioCredential): twilio.Twilio {
  if (credential.type === "api_key") {
    const v = credential.values;
    return twilio(v.key_sid, v.key_secret, { accountSid: v.account_sid, httpClient: httpClient() });
  }
  const v = credential.values;
  return twilio(v.username, v.password, { httpClient: httpClient() });
}

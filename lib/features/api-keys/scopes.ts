import type { ApiKeyScope } from "@/lib/shared/api-key-scopes";

// What each scope lets a key do over /api/v2 (withApiKey checks the scope on each route; the
// console's key form shows these lines). GET /api/v2/keys needs no scope.
export const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  proxy:
    "Send SMS, place calls and run Verify through POST /api/v2/proxy/outbound, within each integration's policy. Answers are encrypted to the key's client key pair.",
  "vault:seal":
    "Seal, list, rotate and delete Twilio credentials through /api/v2/vault. Sealed values never come back out.",
  "integrations:write":
    "Read, create, change and delete integrations (and their intake credentials) through /api/v2/integrations.",
  "audit:read": "Read, export and verify this tenant's audit log through /api/v2/audit.",
};

// Only the proxy answers with HybridCryptoEnvelopes encrypted to the key's client public key
// (lib/features/proxy/http.ts -> recipientFor); every other scope answers plain JSON.
const ENVELOPE_SCOPES: readonly ApiKeyScope[] = ["proxy"];

/** Whether a key with these scopes needs a client key pair (its answers are encrypted to it). */
export function needsClientKey(scopes: readonly string[]): boolean {
  return scopes.some((s) => (ENVELOPE_SCOPES as readonly string[]).includes(s));
}

// What qs_live_ and qs_test_ keys differ in: the prefix only (lib/platform/keys/api-keys.ts).
export const ENVIRONMENT_NOTE =
  "Live (qs_live_) and test (qs_test_) keys work the same way: same scopes, same integrations, and calls through them reach Twilio for real. Only the prefix differs, so you can tell keys for production from keys for development and staging apart in code, logs and secret scanners. For sends that cost nothing, use an integration with Twilio test credentials.";

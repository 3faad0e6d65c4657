import type { ApiKeyScope } from "./api-key-scopes";

/**
 * How a route is authorised: an API key with this scope, any key of the tenant, Twilio's
 * request signature (the webhook intake, which Twilio calls, not you), or nothing (public).
 */
type ApiRouteAuth = ApiKeyScope | "any_key" | "twilio_signature" | "public";

export interface ApiRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path parameters in braces, snake_case: /api/v2/integrations/{integration_id}. */
  path: string;
  auth: ApiRouteAuth;
  purpose: string;
}

/**
 * Every /api/v2 route, in the order the console's API reference lists them. api-routes.test.ts
 * checks this against app/api/v2/**\/route.ts (methods and scopes), so it cannot drift.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "POST",
    path: "/api/v2/proxy/outbound",
    auth: "proxy",
    purpose:
      "Send a policy-checked request to Twilio through an integration; answered with a signed, encrypted envelope.",
  },
  {
    method: "GET",
    path: "/api/v2/keys",
    auth: "any_key",
    purpose:
      "The tenant's public signing and vault keys with fingerprints (the SDK verifies with them).",
  },
  {
    method: "POST",
    path: "/api/v2/vault/seal",
    auth: "vault:seal",
    purpose: "Seal a Twilio credential; answers its metadata, never its values.",
  },
  {
    method: "GET",
    path: "/api/v2/vault/credentials",
    auth: "vault:seal",
    purpose: "List sealed credentials (metadata only).",
  },
  {
    method: "POST",
    path: "/api/v2/vault/credentials/{credential_id}/rotate",
    auth: "vault:seal",
    purpose: "Replace a credential's values with new ones (a new version).",
  },
  {
    method: "DELETE",
    path: "/api/v2/vault/credentials/{credential_id}",
    auth: "vault:seal",
    purpose: "Delete a credential; refused while an integration uses it.",
  },
  {
    method: "GET",
    path: "/api/v2/integrations",
    auth: "integrations:write",
    purpose: "List integrations and their policies.",
  },
  {
    method: "POST",
    path: "/api/v2/integrations",
    auth: "integrations:write",
    purpose: "Create an integration: credential, allowed operations, countries and limits.",
  },
  {
    method: "GET",
    path: "/api/v2/integrations/{integration_id}",
    auth: "integrations:write",
    purpose: "Read one integration.",
  },
  {
    method: "PATCH",
    path: "/api/v2/integrations/{integration_id}",
    auth: "integrations:write",
    purpose: "Change an integration's policy, limits or state.",
  },
  {
    method: "DELETE",
    path: "/api/v2/integrations/{integration_id}",
    auth: "integrations:write",
    purpose: "Delete an integration.",
  },
  {
    method: "POST",
    path: "/api/v2/integrations/{integration_id}/intake-auth",
    auth: "integrations:write",
    purpose: "Put HTTP Basic credentials on the integration's webhook intake URLs.",
  },
  {
    method: "DELETE",
    path: "/api/v2/integrations/{integration_id}/intake-auth",
    auth: "integrations:write",
    purpose: "Remove the intake URLs' HTTP Basic credentials.",
  },
  {
    method: "GET",
    path: "/api/v2/integrations/{integration_id}/webhook-events",
    auth: "integrations:write",
    purpose: "The integration's accepted Twilio webhooks and their forwarding deliveries.",
  },
  {
    method: "GET",
    path: "/api/v2/audit/events",
    auth: "audit:read",
    purpose: "The tenant's audit events, filtered, newest first.",
  },
  {
    method: "GET",
    path: "/api/v2/audit/export",
    auth: "audit:read",
    purpose: "A streamed, verifiable export of the audit log (format=jsonl or csv).",
  },
  {
    method: "POST",
    path: "/api/v2/audit/verify",
    auth: "audit:read",
    purpose: "Walk the audit hash chain and report the first broken link (itself audited).",
  },
  {
    method: "POST",
    path: "/api/v2/webhooks/twilio/{integration_id}/{kind}",
    auth: "twilio_signature",
    purpose:
      "Twilio's status and incoming-message webhooks (Twilio calls it; the signature is checked).",
  },
  {
    method: "GET",
    path: "/api/v2/webhooks/twilio/{integration_id}/{kind}",
    auth: "twilio_signature",
    purpose: "The same intake, for Twilio webhooks configured to use GET.",
  },
  {
    method: "GET",
    path: "/api/v2/openapi.json",
    auth: "public",
    purpose: "This API's OpenAPI 3.1 document (public, cacheable).",
  },
];

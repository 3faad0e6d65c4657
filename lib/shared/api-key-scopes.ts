// What an API key may be used for (checked by withApiKey; offered by the console's key form).
export const API_KEY_SCOPES = ["proxy", "vault:seal", "integrations:write", "audit:read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

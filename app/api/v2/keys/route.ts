// GET /api/v2/keys – the tenant's public signing and vault keys with fingerprints (any API key)
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { keysResponse } from "@/lib/vault/api";

export const GET = withApiKey(null, keysResponse);

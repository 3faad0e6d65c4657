// GET /api/v2/keys – the tenant's public signing and vault keys with fingerprints (any API key)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { keysResponse } from "@/lib/features/vault/http";

export const GET = withApiKey(null, keysResponse);

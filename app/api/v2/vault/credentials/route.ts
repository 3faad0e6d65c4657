// GET /api/v2/vault/credentials – credential metadata, never values (scope vault:seal)
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { listResponse } from "@/lib/vault/api";

export const GET = withApiKey("vault:seal", listResponse);

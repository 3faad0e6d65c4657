// GET /api/v2/vault/credentials – credential metadata, never values (scope vault:seal)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { listResponse } from "@/lib/features/vault/http";

export const GET = withApiKey("vault:seal", listResponse);

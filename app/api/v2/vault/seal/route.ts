// POST /api/v2/vault/seal – seal a Twilio credential (scope vault:seal); answers metadata only
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { sealResponse } from "@/lib/vault/api";

export const POST = withApiKey("vault:seal", sealResponse);

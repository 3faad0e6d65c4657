// POST /api/v2/vault/seal – seal a Twilio credential (scope vault:seal); answers metadata only
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { sealResponse } from "@/lib/features/vault/http";

export const POST = withApiKey("vault:seal", sealResponse);

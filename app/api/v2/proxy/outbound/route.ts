// POST /api/v2/proxy/outbound – policy-checked Twilio call, answered with a HybridCryptoEnvelope (scope proxy)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { outboundResponse } from "@/lib/features/proxy/http";

export const POST = withApiKey("proxy", outboundResponse);

// POST /api/v2/proxy/outbound – policy-checked Twilio call, answered with a HybridCryptoEnvelope (scope proxy)
import { withApiKey } from "@/lib/api-keys/with-api-key";
import { outboundResponse } from "@/lib/proxy/outbound";

export const POST = withApiKey("proxy", outboundResponse);

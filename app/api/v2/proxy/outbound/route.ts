// POST /api/v2/proxy/outbound – policy-checked Twilio call, answered with a HybridCryptoEnvelope (scope proxy)
import { withApiKey } from "@/lib/platform/request-context/with-api-key";
import { outboundResponse } from "@/lib/features/proxy/http";

// The hot path: the key row may come from this process's cache; the proxy confirms it.
export const POST = withApiKey("proxy", outboundResponse, { cachedKey: true });

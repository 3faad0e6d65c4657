export {
  createClient,
  credentialsFromFile,
  EnvelopeError,
  PqsealApiError,
  type ClientCredentials,
  type ClientOptions,
  type HybridCryptoEnvelope,
  type OutboundRequest,
  type OutboundResult,
} from "./client";
export { generateClientKeyPair } from "./keys";

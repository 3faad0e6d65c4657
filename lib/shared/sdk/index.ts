export {
  createClient,
  credentialsFromFile,
  EnvelopeError,
  PqsealApiError,
  type ClientCredentials,
  type ClientOptions,
  type EnvelopeErrorCode,
  type HybridCryptoEnvelope,
  type KeysRefresh,
  type OutboundRequest,
  type OutboundResult,
} from "./client";
export { generateClientKeyPair } from "./keys";

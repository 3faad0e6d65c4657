// @pqseal/sdk: the public surface (lib/shared/sdk/README.md documents it). Built into the
// package by tools/sdk/build.mjs; the app and its tests import the sources directly.
export {
  createClient,
  credentialsFromFile,
  type CallOptions,
  type ClientCredentials,
  type ClientOptions,
  type HybridCryptoEnvelope,
  type KeysRefresh,
  type OutboundRequest,
  type OutboundResult,
} from "./client";
export {
  EnvelopeError,
  isPqsealError,
  KeyNotTrustedError,
  PqsealApiError,
  PqsealInvalidRequestError,
  PqsealNetworkError,
  PqsealTimeoutError,
  type EnvelopeErrorCode,
  type PqsealError,
} from "./errors";
export { generateClientKeyPair } from "./keys";
export type { CryptoBackend } from "@/lib/shared/crypto/backend";

import "server-only";
import { createHash, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { readTimestampToken, SHA256_OID, verifyTimestamp } from "./timestamp-token";

// An RFC 3161 client: asks a time stamping authority to sign SHA-256 of a message, so a copy of
// the proof that the message existed at genTime lives outside our database.

const TIMEOUT_MS = 10_000;
/** A TimeStampResp is a few kilobytes; anything this large is not one. */
const MAX_RESPONSE_BYTES = 1 << 20;

/**
 * Requests a TimeStampToken over `message` (RFC 3161 §3.4, over HTTP): SHA-256 imprint, a
 * random 64-bit nonce, certReq so the token carries the TSA's certificate. The answer must be
 * granted (or granted with modifications), for our imprint and nonce, and its signature must
 * verify with the certificate in it. Throws otherwise.
 */
export async function requestTimestamp(
  tsaUrl: string,
  message: Uint8Array,
): Promise<{ token: string; genTime: string }> {
  const hash = createHash("sha256").update(message).digest();
  const nonce = BigInt(`0x${randomBytes(8).toString("hex")}`);
  const request = new pkijs.TimeStampReq({
    version: 1,
    // RFC 5754 §2: SHA-2 AlgorithmIdentifiers are generated with absent parameters.
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: hash }),
    }),
    nonce: asn1js.Integer.fromBigInt(nonce),
    certReq: true,
  });
  const response = await fetch(tsaUrl, {
    method: "POST",
    headers: { "content-type": "application/timestamp-query" },
    body: new Uint8Array(request.toSchema().toBER()),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the time stamping authority answered ${response.status}`);
  const body = new Uint8Array(await response.arrayBuffer());
  if (body.byteLength > MAX_RESPONSE_BYTES) throw new Error("the timestamp response is too large");

  const token = tokenOf(body);
  const { tstInfo } = readTimestampToken(token);
  if (!Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView).equals(hash))
    throw new Error("the timestamp is for another message");
  if (tstInfo.nonce?.toBigInt() !== nonce)
    throw new Error("the timestamp's nonce is not ours (a replayed or mixed-up answer)");
  const encoded = Buffer.from(token).toString("base64");
  const check = await verifyTimestamp(encoded, message);
  if (!check.ok) throw new Error(check.problem);
  return { token: encoded, genTime: check.genTime };
}

/** The DER bytes of the TimeStampToken in a granted TimeStampResp, exactly as the TSA sent them. */
function tokenOf(der: Uint8Array): Uint8Array {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1) throw new Error("the timestamp response is not DER");
  const resp = new pkijs.TimeStampResp({ schema: asn1.result });
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods)
    throw new Error(`the time stamping authority refused (status ${status})`);
  // Taken from the response's own bytes rather than re-encoded, so the signature stays valid.
  const token = asn1.result instanceof asn1js.Sequence ? asn1.result.valueBlock.value[1] : null;
  if (!resp.timeStampToken || !token) throw new Error("the timestamp response has no token");
  return token.valueBeforeDecodeView;
}

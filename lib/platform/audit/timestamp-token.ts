import { createHash } from "node:crypto";
import * as pkijs from "pkijs";

// RFC 3161 time-stamp tokens over audit checkpoints: reading and checking them. Shared by the
// server (timestamp.ts) and the offline export verifier, so nothing server-only here.

export const SHA256_OID = "2.16.840.1.101.3.4.2.1";
const TST_INFO_OID = "1.2.840.113549.1.9.16.1.4"; // id-ct-TSTInfo, RFC 3161 §2.4.2
const EXT_KEY_USAGE_OID = "2.5.29.37";
const TIME_STAMPING_OID = "1.3.6.1.5.5.7.3.8"; // id-kp-timeStamping

export type TimestampCheck = { ok: true; genTime: string } | { ok: false; problem: string };

/** The SignedData and TSTInfo of a DER TimeStampToken (a CMS ContentInfo); throws if not one. */
export function readTimestampToken(der: Uint8Array): {
  signedData: pkijs.SignedData;
  tstInfo: pkijs.TSTInfo;
} {
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (contentInfo.contentType !== pkijs.ContentInfo.SIGNED_DATA)
    throw new Error("the token is not CMS SignedData");
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const { eContentType, eContent } = signedData.encapContentInfo;
  if (eContentType !== TST_INFO_OID || !eContent)
    throw new Error("the token does not hold a TSTInfo");
  return { signedData, tstInfo: pkijs.TSTInfo.fromBER(eContent.getValue()) };
}

/** Null when the TSTInfo's messageImprint is SHA-256 of `message`, else what is wrong. */
function imprintProblem(tstInfo: pkijs.TSTInfo, message: Uint8Array): string | null {
  const { hashAlgorithm, hashedMessage } = tstInfo.messageImprint;
  if (hashAlgorithm.algorithmId !== SHA256_OID) return "the token's imprint is not SHA-256";
  const expected = createHash("sha256").update(message).digest();
  return expected.equals(hashedMessage.valueBlock.valueHexView)
    ? null
    : "the token's imprint is not SHA-256 of the checkpoint message";
}

/**
 * The imprint check alone (synchronous, for the offline export verifier): the token is a
 * TimeStampToken whose messageImprint is SHA-256 of `message`. It does not check the TSA's
 * signature; verifyTimestamp (or `openssl ts -verify`) does.
 */
export function checkTimestampImprint(tokenB64: string, message: Uint8Array): TimestampCheck {
  try {
    const { tstInfo } = readTimestampToken(Buffer.from(tokenB64, "base64"));
    const problem = imprintProblem(tstInfo, message);
    return problem ? { ok: false, problem } : { ok: true, genTime: tstInfo.genTime.toISOString() };
  } catch {
    return { ok: false, problem: "the timestamp token cannot be read" };
  }
}

/** RFC 3161 §2.3: the TSA's certificate has one extendedKeyUsage, critical, timeStamping. */
function isTimeStampingCert(cert: pkijs.Certificate): boolean {
  const eku = cert.extensions?.filter((e) => e.extnID === EXT_KEY_USAGE_OID) ?? [];
  const [only] = eku;
  return (
    eku.length === 1 &&
    only?.critical === true &&
    only.parsedValue instanceof pkijs.ExtKeyUsage &&
    only.parsedValue.keyPurposes.length === 1 &&
    only.parsedValue.keyPurposes[0] === TIME_STAMPING_OID
  );
}

function certificatesOf(pem: string): pkijs.Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) =>
    pkijs.Certificate.fromBER(
      Buffer.from(block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ""), "base64"),
    ),
  );
}

/**
 * Verifies a base64 DER TimeStampToken over `message`: the imprint is SHA-256 of it, the CMS
 * signature verifies with the TSA certificate in the token, and that certificate is for time
 * stamping. With `trustedCertPem` (the TSA's root or its own certificate) the certificate must
 * also chain to it, checked at the token's genTime; without it the signature is only
 * self-consistent, which proves nothing about who made it.
 */
export async function verifyTimestamp(
  token: string,
  message: Uint8Array,
  trustedCertPem?: string,
): Promise<TimestampCheck> {
  try {
    const { signedData, tstInfo } = readTimestampToken(Buffer.from(token, "base64"));
    const problem = imprintProblem(tstInfo, message);
    if (problem) return { ok: false, problem };
    const trustedCerts = trustedCertPem ? certificatesOf(trustedCertPem) : [];
    if (trustedCertPem && trustedCerts.length === 0)
      return { ok: false, problem: "no certificate in the trusted PEM" };
    const result = await signedData.verify({
      signer: 0,
      data: new Uint8Array(message).buffer,
      trustedCerts,
      checkChain: trustedCerts.length > 0,
      extendedMode: true,
    });
    if (!result.signatureVerified)
      return { ok: false, problem: "the timestamp signature is not valid" };
    if (!result.signerCertificate || !isTimeStampingCert(result.signerCertificate))
      return { ok: false, problem: "the signer is not a time stamping certificate" };
    return { ok: true, genTime: tstInfo.genTime.toISOString() };
  } catch (error) {
    // pkijs reports a failed check by throwing (SignedDataVerifyError names the check).
    const detail = error instanceof pkijs.SignedDataVerifyError ? `: ${error.message}` : "";
    return { ok: false, problem: `the timestamp token does not verify${detail}` };
  }
}

import { randomBytes } from "node:crypto";
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  type DecryptCommandInput,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";

/**
 * An AWS KMS double for the tests (no network): GenerateDataKey hands out random data keys,
 * and Decrypt returns one only under the encryption context it was generated with, as KMS does.
 * `dataKeys` is exposed so a test can move a key to another context. Call `kms.restore()`.
 */
export function mockAwsKms() {
  const kms = mockClient(KMSClient);
  const dataKeys = new Map<string, { key: Uint8Array; context: string }>();
  kms
    .on(GenerateDataKeyCommand)
    .callsFake((input: { EncryptionContext?: Record<string, string> }) => {
      const key = new Uint8Array(randomBytes(32));
      const blob = randomBytes(48);
      dataKeys.set(blob.toString("hex"), { key, context: JSON.stringify(input.EncryptionContext) });
      return { Plaintext: new Uint8Array(key), CiphertextBlob: new Uint8Array(blob), KeyId: "k" };
    });
  kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
    const found = dataKeys.get(Buffer.from(input.CiphertextBlob ?? []).toString("hex"));
    if (!found || found.context !== JSON.stringify(input.EncryptionContext)) {
      throw Object.assign(new Error("InvalidCiphertextException"), {
        name: "InvalidCiphertextException",
      });
    }
    return { Plaintext: new Uint8Array(found.key) };
  });
  return { kms, dataKeys };
}

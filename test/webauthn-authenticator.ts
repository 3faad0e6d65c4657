// A software WebAuthn authenticator for tests: an ES256 key pair from node:crypto, "none"
// attestation, and assertions built byte by byte as WebAuthn Level 2 §6.1 and §6.5 lay them out.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

// ---- just enough CBOR (RFC 8949) for an attestation object and a COSE key ----
type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}
function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function counterBytes(n: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

export interface SoftPasskey {
  credentialId: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

/** Answers navigator.credentials.create() for these options: a new ES256 credential. */
export function createCredential(
  options: { challenge: string; rp: { id?: string | undefined }; user: { id: string } },
  origin: string,
) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const coseKey = new Map<number, Cbor>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, Buffer.from(jwk.x ?? "", "base64url")],
    [-3, Buffer.from(jwk.y ?? "", "base64url")],
  ]);
  const credentialId = randomBytes(16);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length, 0);
  const authData = Buffer.concat([
    sha256(options.rp.id ?? ""),
    Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
    counterBytes(0),
    Buffer.alloc(16), // AAGUID: none
    idLength,
    credentialId,
    cbor(coseKey),
  ]);
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin }),
  );
  const attestationObject = cbor(
    new Map<string, Cbor>([
      ["fmt", "none"],
      ["attStmt", new Map()],
      ["authData", authData],
    ]),
  );
  const passkey: SoftPasskey = {
    credentialId,
    privateKey,
    userHandle: options.user.id,
    counter: 0,
  };
  const response = {
    id: b64url(credentialId),
    rawId: b64url(credentialId),
    type: "public-key",
    response: {
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      transports: ["internal"],
    },
    clientExtensionResults: {},
  };
  return { passkey, response };
}

/**
 * Answers navigator.credentials.get(): signs authData || SHA-256(clientDataJSON). The counter
 * goes up by one each time unless `counter` says otherwise (to test a cloned authenticator).
 */
export function assert(
  passkey: SoftPasskey,
  options: { challenge: string; rpId?: string | undefined },
  origin: string,
  { counter = passkey.counter + 1, userVerified = true } = {},
) {
  passkey.counter = counter;
  const authData = Buffer.concat([
    sha256(options.rpId ?? ""),
    Buffer.from([FLAG_UP | (userVerified ? FLAG_UV : 0)]),
    counterBytes(counter),
  ]);
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin }),
  );
  const signature = sign(
    "sha256",
    Buffer.concat([authData, sha256(clientDataJSON)]),
    passkey.privateKey,
  );
  return {
    id: b64url(passkey.credentialId),
    rawId: b64url(passkey.credentialId),
    type: "public-key",
    response: {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      userHandle: passkey.userHandle,
    },
    clientExtensionResults: {},
  };
}

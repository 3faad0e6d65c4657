// Signing-key rollover (docs/ENVELOPE.md §9.1): each new ML-DSA-65 key is endorsed by the key
// before it, and a client trusts a published key only through a chain of endorsements that
// starts at a key it pinned. Portable: the server signs these messages, the SDK verifies them.
import { SIZES, type CryptoBackend } from "@/lib/shared/crypto/backend";
import { concatBytes, fromB64, lengthPrefixed, utf8 } from "@/lib/shared/crypto/bytes";

const ENDORSEMENT_DOMAIN = "PQSEAL-SIGNING-KEY-ENDORSEMENT-V1";
const SIGNING_ALGORITHM = "ML-DSA-65";
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type EndorsedKey = {
  tenantId: string;
  keyId: string;
  version: number;
  publicKey: Uint8Array;
  /** Exactly `YYYY-MM-DDTHH:mm:ss.sssZ`, as GET /api/v2/keys sends it. */
  activatesAt: string;
  /** The id of the key that signs this endorsement. */
  endorsedBy: string;
};

/** The bytes the previous key signs (ENVELOPE.md §9.1), length-prefixed like the header H. */
export function endorsementMessage(k: EndorsedKey): Uint8Array {
  return concatBytes(
    ...[
      utf8(ENDORSEMENT_DOMAIN),
      utf8(k.tenantId),
      utf8(k.keyId),
      utf8(String(k.version)),
      utf8(SIGNING_ALGORITHM),
      k.publicKey,
      utf8(k.activatesAt),
      utf8(k.endorsedBy),
    ].map(lengthPrefixed),
  );
}

type Candidate = EndorsedKey & { endorsement: Uint8Array };

/** A `signing_keys` entry of GET /api/v2/keys that carries a well-formed endorsement, or null. */
function candidate(tenantId: string, entry: unknown): Candidate | null {
  if (typeof entry !== "object" || entry === null) return null;
  const k = entry as Record<string, unknown>;
  const { id, version, algorithm, public_key, activates_at, endorsed_by, endorsement } = k;
  if (
    typeof id !== "string" ||
    typeof version !== "number" ||
    !Number.isSafeInteger(version) ||
    version < 1 ||
    algorithm !== SIGNING_ALGORITHM ||
    typeof public_key !== "string" ||
    typeof activates_at !== "string" ||
    !ISO_MS.test(activates_at) ||
    typeof endorsed_by !== "string" ||
    typeof endorsement !== "string"
  ) {
    return null;
  }
  try {
    const publicKey = fromB64(public_key);
    const signature = fromB64(endorsement);
    if (publicKey.length !== SIZES.dsaPublicKey || signature.length !== SIZES.dsaSignature) {
      return null;
    }
    return {
      tenantId,
      keyId: id,
      version,
      publicKey,
      activatesAt: activates_at,
      endorsedBy: endorsed_by,
      endorsement: signature,
    };
  } catch {
    return null;
  }
}

/**
 * Adds to `trusted` (key id -> ML-DSA-65 public key) every listed signing key that a chain of
 * valid endorsements links to a key already in it. A trusted key is never replaced by what the
 * listing says about it. Returns the ids it added and the listed ids it left untrusted.
 */
export function followKeyChain(
  backend: CryptoBackend,
  tenantId: string,
  trusted: Map<string, Uint8Array>,
  signingKeys: unknown,
): { added: string[]; untrusted: string[] } {
  const listed = Array.isArray(signingKeys) ? (signingKeys as unknown[]) : [];
  const pending = new Map<string, Candidate>();
  for (const entry of listed) {
    const c = candidate(tenantId, entry);
    if (c && !trusted.has(c.keyId) && !pending.has(c.keyId)) pending.set(c.keyId, c);
  }
  const added: string[] = [];
  // Each pass trusts the keys endorsed by a key trusted so far; a key whose endorser is trusted
  // is checked once (its verdict cannot change), so there are at most `listed.length` checks.
  for (let progress = true; progress;) {
    progress = false;
    for (const [id, c] of pending) {
      const endorser = trusted.get(c.endorsedBy);
      if (!endorser) continue;
      pending.delete(id);
      let valid = false;
      try {
        valid = backend.dsaVerify(c.endorsement, endorsementMessage(c), endorser);
      } catch {
        valid = false;
      }
      if (valid) {
        trusted.set(id, c.publicKey);
        added.push(id);
        progress = true;
      }
    }
  }
  const untrusted = listed
    .map((entry) => (entry as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === "string" && !trusted.has(id));
  return { added, untrusted };
}

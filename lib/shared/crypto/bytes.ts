// Byte helpers with no Node.js or Next.js imports: shared by the server, the SDK and the browser.

const encoder = new TextEncoder();

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

// On a server, Node's Buffer does base64 in C++ (the envelope's fields are kilobytes); the
// browser and other runtimes take the portable path.
type NodeBuffer = {
  from(bytes: ArrayBufferLike, offset: number, length: number): { toString(enc: "base64"): string };
  from(text: string, enc: "base64"): Uint8Array;
};
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

export function toB64(bytes: Uint8Array): string {
  if (nodeBuffer)
    return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

// The symbol before "==" carries 4 unused bits, the one before "=" carries 2: canonical
// base64 (RFC 4648 §3.5) has them zero, so each byte string has exactly one spelling.
const CANONICAL_B64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;

/**
 * Strict, canonical standard base64 (RFC 4648 §4, padded): throws on anything else, including
 * non-zero unused bits, so a changed spelling of the same bytes is refused (ENVELOPE.md §1).
 * Returns a plain Uint8Array (never a Node Buffer, which liboqs-js refuses).
 */
export function fromB64(text: string): Uint8Array {
  if (!CANONICAL_B64.test(text)) throw new Error("invalid base64");
  if (nodeBuffer) return new Uint8Array(nodeBuffer.from(text, "base64"));
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `u32be(len) || bytes`: the length-prefixed field of every canonical encoding we sign. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

/** Compares in time that depends only on the lengths, never on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % (b.length || 1)] ?? 0);
  return diff === 0;
}

/** Overwrites key material in place (best effort: JavaScript may have copied it elsewhere). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

/**
 * A request body's bytes, or null as soon as it is longer than `maxBytes`, declared
 * (Content-Length) or not: read as it streams in, never buffered past the limit.
 */
export async function readCappedBytes(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (Number(request.headers.get("content-length")) > maxBytes) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * `readCappedBytes` as UTF-8 text, or null when too long. Kept as it came, as far as text can:
 * a byte-order mark stays, bytes that are not UTF-8 read as U+FFFD (a webhook's signature, not
 * this, decides whether its body is believed).
 */
export async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  const bytes = await readCappedBytes(request, maxBytes);
  return bytes && new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

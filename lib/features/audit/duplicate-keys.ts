/**
 * The first key that appears twice in one JSON object of `text`, or null. JSON.parse keeps the
 * last of duplicate keys silently, so a verifier that only parsed could be shown one value
 * while a hash was computed over another; CHAIN.md requires refusing such files.
 * `text` must already be valid JSON (parse it first).
 */
export function firstDuplicateKey(text: string): string | null {
  const objects: (Set<string> | null)[] = []; // null: an array level
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const token = text.slice(i, j + 1);
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k] ?? "")) k++;
      const keys = objects.at(-1);
      if (text[k] === ":" && keys) {
        const key = JSON.parse(token) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = j + 1;
      continue;
    }
    if (c === "{") objects.push(new Set());
    else if (c === "[") objects.push(null);
    else if (c === "}" || c === "]") objects.pop();
    i++;
  }
  return null;
}

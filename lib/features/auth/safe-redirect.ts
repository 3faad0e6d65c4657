const BASE = "http://pqseal.invalid";

/**
 * Only same-origin relative paths are followed after sign-in (no open redirects). Control
 * characters and backslashes are refused outright: browsers drop tabs and line breaks from
 * URLs and read `\` as `/`, so "/\t/evil.example" would leave the site. What remains must
 * resolve to our own origin.
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value) || value.startsWith("//")) return fallback;
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

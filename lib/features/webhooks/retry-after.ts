// A receiver's Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Honoured for 429
// and 503, within bounds: at least 1 s, at most a day, so a receiver can slow PQSeal down but
// cannot make it hammer nor park a delivery for a year.
const MIN_SECONDS = 1;
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/** Seconds to wait before the next attempt, or null when the header is missing or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  const text = value?.trim();
  if (!text) return null;
  let seconds: number;
  if (/^[0-9]+$/.test(text)) seconds = Number(text);
  else {
    // HTTP dates start with the day's name; V8's Date.parse would also read "-5" or "1.5".
    const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(at)) return null;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(MIN_SECONDS, seconds));
}

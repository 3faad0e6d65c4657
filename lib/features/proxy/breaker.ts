// A circuit breaker per Twilio account: after 5 upstream failures (timeouts, 5xx, unreachable)
// in a row it opens for 30 s and requests fail fast; then one trial request is let through.
// In-process state: each server instance keeps its own breaker.
const THRESHOLD = 5;
const OPEN_MS = 30_000;

type State = { failures: number; openUntil: number; trial: boolean };
const globalForBreaker = globalThis as unknown as { pqsealBreakers?: Map<string, State> };
const states = (globalForBreaker.pqsealBreakers ??= new Map<string, State>());

/** Milliseconds until the circuit closes again, or 0 when calls may proceed. */
export function circuitOpenFor(key: string, now = Date.now()): number {
  const s = states.get(key);
  if (!s || s.openUntil === 0) return 0;
  if (now < s.openUntil) return s.openUntil - now;
  if (s.trial) return 1000; // a trial request is already in flight
  s.trial = true;
  return 0;
}

export function recordOutcome(key: string, upstreamFailed: boolean, now = Date.now()) {
  const s = states.get(key) ?? { failures: 0, openUntil: 0, trial: false };
  if (!upstreamFailed) {
    states.delete(key);
    return;
  }
  s.failures++;
  s.trial = false;
  if (s.failures >= THRESHOLD) s.openUntil = now + OPEN_MS;
  states.set(key, s);
}

export const resetBreakers = () => states.clear();

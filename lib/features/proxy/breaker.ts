import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
} from "cockatiel";
import { LRUCache } from "lru-cache";
import { AppError } from "@/lib/platform/errors/app-error";

// A circuit breaker per Twilio credential (cockatiel): after 5 upstream failures (timeouts, 5xx,
// unreachable) in a row it opens for 30 s and requests fail fast; then one trial request is let
// through. In-process state: each server instance keeps its own breakers.
const THRESHOLD = 5;
const OPEN_MS = 30_000;
// Bounded: the least recently used credential's breaker is dropped (it starts closed again).
const MAX_BREAKERS = 10_000;

/** What a guarded call answers; `upstreamFailed: true` counts towards opening the circuit. */
type Guarded = { upstreamFailed: boolean };
type Breaker = { policy: CircuitBreakerPolicy; openedAt: number };

const globalForBreaker = globalThis as unknown as { pqsealCircuits?: LRUCache<string, Breaker> };
const breakers = (globalForBreaker.pqsealCircuits ??= new LRUCache<string, Breaker>({
  max: MAX_BREAKERS,
}));

function breakerFor(key: string): Breaker {
  const found = breakers.get(key);
  if (found) return found;
  // Only an answered upstream failure is handled (counted); a thrown error is not.
  const policy = circuitBreaker(
    handleWhenResult((value) => (value as Guarded).upstreamFailed),
    { halfOpenAfter: OPEN_MS, breaker: new ConsecutiveBreaker(THRESHOLD) },
  );
  const breaker: Breaker = { policy, openedAt: 0 };
  // cockatiel does not say when an open circuit half-opens; Retry-After needs it.
  policy.onBreak(() => (breaker.openedAt = Date.now()));
  breakers.set(key, breaker);
  return breaker;
}

/**
 * Runs `fn` (the whole attempt: unsealing, KMS, Twilio) through the breaker of `key`, or fails
 * fast with 503 `upstream_unavailable` and Retry-After while the circuit is open or a trial is in
 * flight. An answer with `upstreamFailed` counts as a failure; any other answer (a 4xx from
 * Twilio included) resets the count. A thrown error (KMS, unsealing, a refusal before Twilio) is
 * not Twilio's failure: it leaves the count alone, and when `fn` was the half-open trial it ends
 * the trial by closing the circuit (cockatiel's rule for errors it does not handle). The count is
 * not reset then, so if Twilio is still down the next upstream failure reopens the circuit at
 * once. Whichever way `fn` exits, the trial is over: the circuit never stays stuck.
 */
export async function withBreaker<T extends Guarded>(
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const breaker = breakerFor(key);
  // cockatiel would queue this call behind the trial; fail fast instead, as before.
  if (breaker.policy.state === CircuitState.HalfOpen) throw failingFast(1000);
  try {
    return await breaker.policy.execute(fn);
  } catch (error) {
    if (isBrokenCircuitError(error)) throw failingFast(breaker.openedAt + OPEN_MS - Date.now());
    throw error;
  }
}

function failingFast(waitMs: number) {
  const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return new AppError(
    "upstream_unavailable",
    "Twilio failed repeatedly; PQSEAL is failing fast for a short while.",
    { remediation: `Retry after ${seconds} s.`, headers: { "retry-after": seconds } },
  );
}

export const resetBreakers = () => breakers.clear();

/**
 * How many circuits fail fast now (open, or half-open with a trial in flight): the
 * pqseal_circuit_breakers_open gauge. An open circuit counts until a request tries it again.
 */
export function openCircuits(): number {
  let open = 0;
  for (const { policy } of breakers.values()) if (policy.state !== CircuitState.Closed) open++;
  return open;
}

import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "@/lib/platform/log/logger";

/** A job started by `repeat`. */
export interface Repeating {
  /**
   * Stops starting passes and waits up to `graceMs` for the one in flight; then aborts its
   * signal (a pass that listens hands its work back) and waits at most `abortedMs` more.
   */
  stop(graceMs: number, abortedMs?: number): Promise<void>;
}

/**
 * Runs `pass` every `everyMs` (the first time after `firstAfterMs`), never two passes at once;
 * a failed pass is logged and the next one runs as usual. The timers do not keep the process
 * alive (a web server must be able to exit; the worker keeps itself up until it is stopped).
 */
export function repeat(
  name: string,
  pass: (signal: AbortSignal) => Promise<unknown>,
  { everyMs, firstAfterMs = everyMs }: { everyMs: number; firstAfterMs?: number },
): Repeating {
  const abort = new AbortController();
  let stopped = false;
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (stopped || inFlight) return;
    inFlight = pass(abort.signal)
      .then(
        () => {},
        (error: unknown) => logger().error({ err: error, job: name }, `${name} failed`),
      )
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = setInterval(tick, everyMs).unref();
  const first = setTimeout(tick, firstAfterMs).unref();
  const within = async (running: Promise<void>, ms: number) => {
    const timeout = new AbortController();
    const done = await Promise.race([
      running.then(() => true),
      sleep(ms, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    return done;
  };
  return {
    async stop(graceMs, abortedMs = 3000) {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      const running = inFlight;
      if (!running || (await within(running, graceMs))) return;
      abort.abort();
      if (!(await within(running, abortedMs))) {
        logger().warn({ job: name }, `${name} still running after stop`);
      }
    },
  };
}

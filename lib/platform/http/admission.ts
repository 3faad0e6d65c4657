import "server-only";
import { AppError } from "@/lib/platform/errors/app-error";
import { metrics } from "@/lib/platform/observability/metrics";

/**
 * Bounded admission: at most `limit()` calls run at once in this process; one more is refused
 * at once with 503 `overloaded` and Retry-After instead of waiting behind the others. On a
 * saturated CPU every accepted request would otherwise wait for all the ones before it, and
 * latency grows without bound; refusing early keeps it near `limit × service time` and tells
 * clients to come back (nothing was done, so a retry is safe).
 */
export function admission(name: string, limit: () => number) {
  let inFlight = 0;
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      const max = limit();
      if (max > 0 && inFlight >= max) {
        metrics().limitRefusals.inc({ code: "overloaded" });
        throw new AppError(
          "overloaded",
          `PQSeal is working on as many ${name} requests as it takes at once.`,
          {
            remediation: "Nothing was done; retry after 1 s, or spread the load.",
            headers: { "retry-after": "1" },
          },
        );
      }
      inFlight++;
      try {
        return await work();
      } finally {
        inFlight--;
      }
    },
    inFlight: () => inFlight,
  };
}

import "server-only";
import { auditChainLag } from "@/lib/features/audit/checkpoints";
import { openCircuits } from "@/lib/features/proxy/breaker";
import { deliveriesIn } from "@/lib/features/webhooks/forward";
import { countSpooled } from "@/lib/platform/audit/spool";
import { metricsResponse } from "@/lib/platform/observability/metrics-endpoint";
import { registerGauge, registerGauges } from "@/lib/platform/observability/metrics";

// The composition root of the scrape-time gauges: lib/platform/observability holds the registry
// and the endpoint but imports no feature, so the features' gauges are registered here. Only
// app/api/metrics/route.ts imports this module. The database gauges are the same on every
// instance (aggregate them with max, not sum); the breaker and spool gauges are this process's.

let registered = false;

function registerFeatureGauges(): void {
  if (registered) return;
  registered = true;
  registerGauge(
    "pqseal_webhook_queue_depth",
    "Webhook and checkpoint deliveries waiting to be forwarded (pending, due or backing off).",
    () => deliveriesIn("pending"),
  );
  registerGauge(
    "pqseal_webhook_dead_letters",
    "Deliveries that ran out of attempts and wait for an admin to replay them.",
    () => deliveriesIn("dead"),
  );
  registerGauge(
    "pqseal_circuit_breakers_open",
    "Twilio credentials whose circuit breaker fails fast in this process (open or half-open).",
    openCircuits,
  );
  registerGauges(
    {
      pqseal_audit_unsigned_events:
        "Audit events appended after their tenant's newest signed checkpoint, over all tenants.",
      pqseal_audit_checkpoint_lag_seconds:
        "Longest time a tenant with unsigned audit events has gone since its newest checkpoint.",
    },
    async () => {
      const lag = await auditChainLag();
      return {
        pqseal_audit_unsigned_events: lag.unsignedEvents,
        pqseal_audit_checkpoint_lag_seconds: lag.lagSeconds,
      };
    },
  );
  registerGauge(
    "pqseal_audit_spooled_events",
    "Audit events spooled to this server's disk during a database outage, not yet written.",
    () => countSpooled("waiting"),
  );
  registerGauge(
    "pqseal_audit_spool_unreadable",
    "Spooled audit entries set aside as unreadable (.bad): they need an operator.",
    () => countSpooled("bad"),
  );
}

/** GET /api/metrics (Prometheus; METRICS_TOKEN). */
export function serveMetrics(request: Request): Promise<Response> {
  registerFeatureGauges();
  return metricsResponse(request);
}

import type { ReactNode } from "react";
import { Timestamp } from "@/components/ui/timestamp";
import type { IntegrationJson } from "@/lib/features/integrations/queries";
import { countryLabel } from "@/lib/shared/countries";

/**
 * An integration's policy as members who may not change it read it: sender, Verify service,
 * operations, countries and limits. The sender is the tenant's own Twilio number (every
 * recipient sees it), so it is shown whole; end users' numbers never are.
 */
export function IntegrationSummary({
  integration: i,
  credentialName,
  webhookCredentialName,
}: {
  integration: IntegrationJson;
  credentialName: string;
  webhookCredentialName: string | null;
}) {
  const sections: [id: string, title: string, rows: [string, ReactNode][]][] = [
    [
      "twilio",
      "Twilio",
      [
        ["Status", i.enabled ? "enabled" : "disabled"],
        ["Credential", credentialName],
        ["Webhook signing secret", webhookCredentialName ?? "none"],
        ["Default sender", mono(i.default_from) ?? "none"],
        ["Messaging service SID", mono(i.messaging_service_sid) ?? "none"],
        ["Verify service SID", mono(i.verify_service_sid) ?? "none"],
        ["Forwards webhooks to", i.forward_url ? mono(new URL(i.forward_url).host) : "nowhere"],
      ],
    ],
    [
      "allows",
      "What it allows",
      [
        ["Operations", i.allowed_operations.join(", ") || "none (everything is refused)"],
        [
          "Destination countries",
          i.allowed_countries.map(countryLabel).join(", ") || "none (every country is refused)",
        ],
      ],
    ],
    [
      "limits",
      "Limits",
      [
        [
          "Per destination",
          `${i.sends_per_destination} sends and ${i.checks_per_destination} verification checks per ${i.destination_window_seconds} s`,
        ],
        [
          "Per API key",
          `bursts of ${i.key_burst}, then ${i.key_rate_per_second} requests per second`,
        ],
        [
          "Per end user",
          `${i.end_user_ip_sends} sends per IP and ${i.end_user_id_checks} checks per id per ${i.end_user_window_seconds} s${i.require_end_user ? " (end_user required)" : ""}`,
        ],
        [
          "Line type",
          i.line_type_check
            ? `looked up before SMS and voice verification (cached ${i.line_type_cache_hours} h); non-fixed VoIP: ${i.voip_policy}`
            : "not looked up",
        ],
        [
          "SMS pumping",
          i.pumping_action === "off"
            ? "not watched"
            : `${i.pumping_action} below ${i.pumping_min_conversion} % approved of at least ${i.pumping_min_volume} verifications per ${i.pumping_window_seconds} s`,
        ],
        [
          "Call suggested after",
          i.fallback_after_seconds ? `${i.fallback_after_seconds} s without approval` : "off",
        ],
      ],
    ],
  ];
  return (
    <div className="space-y-4" data-testid="integration-summary">
      {sections.map(([id, title, rows]) => (
        <section key={id} aria-labelledby={`summary-${id}`}>
          <h3 id={`summary-${id}`} className="text-sm font-semibold text-slate-900">
            {title}
          </h3>
          <dl className="mt-1 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[14rem_1fr]">
            {rows.map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="text-slate-600">{term}</dt>
                <dd className="mb-1 min-w-0 break-words text-slate-900 sm:mb-0">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <p className="text-xs text-slate-600">
        Last changed <Timestamp value={i.updated_at} />. To change it, ask an owner or admin.
      </p>
    </div>
  );
}

const mono = (value: string | null) =>
  value ? <span className="font-mono break-all">{value}</span> : null;

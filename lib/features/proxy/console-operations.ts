import type { Operation } from "@/lib/features/integrations/schemas";

// The test console's operations as a person reads them (browser-safe: the console's tabs and
// its server-side results use the same words). The order is the order of the tabs.

type ConsoleOperationLabels = {
  /** The tab, and the start of the result's sentence ("Send SMS succeeded"). */
  name: string;
  /** The submit button while the operation runs. */
  running: string;
};

export const CONSOLE_OPERATIONS = {
  send_sms: { name: "Send SMS", running: "Sending…" },
  make_call: { name: "Make call", running: "Calling…" },
  create_verification: { name: "Start verification", running: "Starting…" },
  check_verification: { name: "Check code", running: "Checking…" },
  fetch_verification: { name: "Fetch verification", running: "Fetching…" },
  cancel_verification: { name: "Cancel verification", running: "Canceling…" },
  list_messages: { name: "List messages", running: "Listing…" },
  lookup_number: { name: "Look up number", running: "Looking up…" },
} as const satisfies Record<Operation, ConsoleOperationLabels>;

/** The console's operations an integration allows, in tab order (the proxy refuses the rest). */
export function consoleOperationsFor(allowed: readonly string[]): Operation[] {
  return (Object.keys(CONSOLE_OPERATIONS) as Operation[]).filter((op) => allowed.includes(op));
}

/** A wait as a person reads it: "42 s" under two minutes, else whole minutes rounded up. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

import { AUDIT_OUTCOMES } from "@/db/schema/audit-events";
import { AUDIT_ACTION_NAMES } from "@/lib/platform/audit/vocabulary";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ values }: { values: Record<string, string> }) {
  const text = (name: string, label: string, placeholder?: string) => (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <input
        name={name}
        defaultValue={values[name] ?? ""}
        placeholder={placeholder}
        className={input}
      />
    </label>
  );
  return (
    <form
      method="get"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
      aria-label="Filters"
    >
      {text("from", "From (UTC)", "2026-11-21T00:00Z")}
      {text("to", "To (UTC)", "2026-11-22T00:00Z")}
      <label className="text-xs font-medium text-slate-600">
        Action
        <select name="action" defaultValue={values.action ?? ""} className={input}>
          <option value="">Any</option>
          {AUDIT_ACTION_NAMES.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Outcome
        <select name="outcome" defaultValue={values.outcome ?? ""} className={input}>
          <option value="">Any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {text("actor", "Actor (e-mail, key prefix or id)")}
      {text("integration", "Integration id", "int_…")}
      {text("target", "Target id")}
      {text("destination", "Destination number", "+14155550123")}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <button
          type="submit"
          className="bg-brand-600 hover:bg-brand-700 rounded-md px-3 py-2 text-sm font-medium text-white"
        >
          Apply filters
        </button>
        <a href="?" className="text-sm text-slate-600 underline">
          Clear
        </a>
      </div>
    </form>
  );
}

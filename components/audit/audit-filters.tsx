import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

const TEXT_FILTERS = [
  { name: "actor", label: "Actor (e-mail, key prefix or id)" },
  { name: "integration", label: "Integration id", placeholder: "int_…" },
  { name: "target", label: "Target id" },
  { name: "destination", label: "Destination number", placeholder: "+14155550123" },
];

function AnyOf({ values }: { values: readonly string[] }) {
  return (
    <>
      <option value="">Any</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ values }: { values: Record<string, string> }) {
  return (
    <form
      method="get"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
      aria-label="Filters"
    >
      <Field
        label="From (UTC)"
        name="from"
        defaultValue={values.from ?? ""}
        placeholder="2026-11-21T00:00Z"
      />
      <Field
        label="To (UTC)"
        name="to"
        defaultValue={values.to ?? ""}
        placeholder="2026-11-22T00:00Z"
      />
      <Select label="Action" name="action" defaultValue={values.action ?? ""}>
        <AnyOf values={AUDIT_ACTION_NAMES} />
      </Select>
      <Select label="Outcome" name="outcome" defaultValue={values.outcome ?? ""}>
        <AnyOf values={AUDIT_OUTCOMES} />
      </Select>
      {TEXT_FILTERS.map((f) => (
        <Field
          key={f.name}
          label={f.label}
          name={f.name}
          defaultValue={values[f.name] ?? ""}
          placeholder={f.placeholder}
        />
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <Button type="submit">Apply filters</Button>
        <a href="?" className="text-sm text-slate-600 underline">
          Clear
        </a>
      </div>
    </form>
  );
}

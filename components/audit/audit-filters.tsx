import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from "@/lib/shared/audit-vocabulary";
import { DATE_HINTS, DESTINATION_HINT } from "@/lib/features/audit/schemas";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";

const TEXT_FILTERS = [
  { name: "actor", label: "Actor", hint: "E-mail, API key prefix, or a usr_/key_ id." },
  { name: "integration", label: "Integration id", placeholder: "int_…" },
  { name: "target", label: "Target id" },
  {
    name: "destination",
    label: "Destination number",
    placeholder: "+44 7700 900123",
    hint: DESTINATION_HINT,
    type: "tel",
  },
];

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** What a date picker can show of a filter value: its day (a date-time from an API link too). */
const dayOf = (value: string | undefined) => DAY.exec(value ?? "")?.[0] ?? "";

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

/**
 * A plain GET form: filters live in the URL, so a filtered view can be bookmarked, shared,
 * and returned to from an event. Errors show beside their fields.
 */
export function AuditFilters({
  values,
  errors,
}: {
  values: Record<string, string>;
  errors: Record<string, string[]> | null;
}) {
  return (
    <form
      method="get"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
      aria-label="Filters"
    >
      <Field
        label="From (UTC)"
        name="from"
        type="date"
        defaultValue={dayOf(values.from)}
        errors={errors?.from}
        hint={DATE_HINTS.from}
      />
      <Field
        label="To (UTC)"
        name="to"
        type="date"
        defaultValue={dayOf(values.to)}
        errors={errors?.to}
        hint={DATE_HINTS.to}
      />
      <Select
        label="Action"
        name="action"
        defaultValue={values.action ?? ""}
        errors={errors?.action}
      >
        <AnyOf values={AUDIT_ACTION_NAMES} />
      </Select>
      <Select
        label="Outcome"
        name="outcome"
        defaultValue={values.outcome ?? ""}
        errors={errors?.outcome}
      >
        <AnyOf values={AUDIT_OUTCOMES} />
      </Select>
      {TEXT_FILTERS.map((f) => (
        <Field
          key={f.name}
          label={f.label}
          name={f.name}
          type={f.type ?? "text"}
          defaultValue={values[f.name] ?? ""}
          placeholder={f.placeholder}
          hint={f.hint}
          errors={errors?.[f.name]}
        />
      ))}
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-4">
        <Button type="submit">Apply filters</Button>
        <a href="?" className="text-sm text-slate-700 underline">
          Clear filters
        </a>
      </div>
    </form>
  );
}

import { formatDate, isoDate, type DatePrecision } from "@/lib/shared/format-date";

/** A point in time in the console's one format (UTC), as a <time> element. */
export function Timestamp({
  value,
  precision = "minute",
  fallback = "—",
}: {
  value: Date | string | null | undefined;
  precision?: DatePrecision;
  /** Shown when there is no time (never used, never expires). */
  fallback?: string;
}) {
  if (value === null || value === undefined) return <>{fallback}</>;
  const iso = isoDate(value) ?? undefined;
  return (
    <time dateTime={iso} title={iso && `${iso} (UTC)`} className="whitespace-nowrap">
      {formatDate(value, precision)}
    </time>
  );
}

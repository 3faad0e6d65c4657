import { formatUtc, isoDate, relativeTime, type DatePrecision } from "@/lib/shared/format-date";

/**
 * A point in time in the console's one zone (UTC), as a <time> element, with a hint of how
 * long ago (or ahead) it is: "2026-12-01 01:56 UTC · 3 min ago".
 */
export function Timestamp({
  value,
  precision = "minute",
  relative = true,
  fallback = "—",
}: {
  value: Date | string | null | undefined;
  precision?: DatePrecision;
  /** Without the relative hint (dense tables, where every row would repeat it). */
  relative?: boolean;
  /** Shown when there is no time (never used, never expires). */
  fallback?: string;
}) {
  if (value === null || value === undefined) return <>{fallback}</>;
  const iso = isoDate(value) ?? undefined;
  const hint = relative ? relativeTime(value) : null;
  return (
    <>
      <time dateTime={iso} title={iso} className="whitespace-nowrap">
        {formatUtc(value, precision)}
      </time>
      {hint ? (
        <>
          {" "}
          {/* Computed at render: the server's and the browser's can differ by a minute. */}
          <span className="whitespace-nowrap" suppressHydrationWarning>
            · {hint}
          </span>
        </>
      ) : null}
    </>
  );
}

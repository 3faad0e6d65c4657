import { fieldErrorsOf } from "@/lib/platform/errors/field-errors";
import { AUDIT_FILTER_NAMES, auditPageSchema, rangeProblem, type AuditPageQuery } from "./schemas";

/** Search parameters as Next.js hands them to a page. */
export type SearchParams = Record<string, string | string[] | undefined>;

export interface AuditSearch {
  /** The filters as given (non-empty, known ones only): for the form, links and `back`. */
  params: Record<string, string>;
  cursor: string | undefined;
  /** What to list; null when a filter is invalid (then nothing is listed). */
  query: AuditPageQuery | null;
  /** Field errors by filter name, shown beside the fields. */
  errors: Record<string, string[]> | null;
}

const lastOf = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value.at(-1) : value)?.trim() || undefined;

/**
 * The console list's filters from its URL. An invalid filter is an error beside its field and
 * an empty list, never the unfiltered log: a person who asked for a narrower view must not
 * read the whole log as its answer.
 */
export function parseAuditSearch(searchParams: SearchParams): AuditSearch {
  const params: Record<string, string> = {};
  for (const name of AUDIT_FILTER_NAMES) {
    const value = lastOf(searchParams[name]);
    if (value) params[name] = value;
  }
  const cursor = lastOf(searchParams.cursor);
  const parsed = auditPageSchema.safeParse({ ...params, cursor });
  if (!parsed.success) {
    return { params, cursor, query: null, errors: fieldErrorsOf(parsed.error, { topLevel: true }) };
  }
  const problem = rangeProblem(parsed.data);
  return problem
    ? { params, cursor, query: null, errors: problem }
    : { params, cursor, query: parsed.data, errors: null };
}

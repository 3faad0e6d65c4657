import "server-only";
import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/platform/errors/app-error";
import { formInteger } from "@/lib/shared/form-integer";
import { parseInput } from "./parse-input";
import { queryParams } from "./query-params";

// One pagination convention for every /api/v2 list route: `?limit=` (1–200, default 50) and
// `?cursor=` (the opaque `next_cursor` of the previous page); the body has the list under its
// plural key plus `next_cursor` (string or null) and `has_more`. Keyset paging on a unique key
// (no OFFSET), so rows inserted meanwhile never shift a page into duplicates or gaps.

const PAGE_LIMIT_MAX = 200;
const PAGE_LIMIT_DEFAULT = 50;

const LIMIT_MESSAGE = `limit is a whole number from 1 to ${PAGE_LIMIT_MAX}.`;
const CURSOR_MESSAGE = "cursor is not a next_cursor from a previous page of this list.";

/** `limit` as a list route reads it (digits only; the shared audit schema uses it too). */
const pageLimitSchema = formInteger(
  z.int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(PAGE_LIMIT_MAX, LIMIT_MESSAGE),
).default(PAGE_LIMIT_DEFAULT);

/** The query parameters of a list route, before the cursor is decoded. */
export const pageQuerySchema = z.object({
  limit: pageLimitSchema,
  cursor: z.string(CURSOR_MESSAGE).max(1_000, CURSOR_MESSAGE).optional(),
});

/** Where a page ended: the last row's (created_at, id), created_at to the microsecond. */
export interface Keyset {
  at: string;
  id: string;
}

export interface PageQuery {
  limit: number;
  cursor?: Keyset | undefined;
}

const MICROSECOND_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const keysetSchema = z.strictObject({
  at: z
    .string()
    .regex(MICROSECOND_UTC)
    .refine((v) => !Number.isNaN(Date.parse(v))),
  id: z.string().regex(/^[a-z]{2,6}_[0-9A-HJKMNP-TV-Z]{26}$/),
});

/** The opaque cursor for a keyset: base64url of its JSON. Clients must not read or build it. */
export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify({ at: key.at, id: key.id })).toString("base64url");
}

/** The keyset of a cursor, or null when it is not one this server wrote. */
export function decodeCursor(cursor: string): Keyset | null {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = keysetSchema.safeParse(value);
  // Only the exact text encodeCursor writes: base64 decoding drops stray trailing characters.
  return parsed.success && encodeCursor(parsed.data) === cursor ? parsed.data : null;
}

/** `limit` and the decoded `cursor` of a list request; anything else is 400 invalid_input. */
export function parsePageQuery(url: URL): PageQuery {
  const { limit, cursor } = parseInput(pageQuerySchema, queryParams(url));
  if (cursor === undefined || cursor === "") return { limit };
  const key = decodeCursor(cursor);
  if (!key) {
    throw new AppError("invalid_input", `cursor: ${CURSOR_MESSAGE}`, {
      fieldErrors: { cursor: [CURSOR_MESSAGE] },
    });
  }
  return { limit, cursor: key };
}

/** `created_at` as the keyset's text (UTC, microseconds: a JavaScript Date keeps only ms). */
export function keysetAt(createdAt: AnyColumn): SQL<string> {
  return sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows after `cursor` in (created_at desc, id desc) order; undefined (no condition) without one. */
export function keysetBefore(
  createdAt: AnyColumn,
  id: AnyColumn,
  cursor: Keyset | undefined,
): SQL | undefined {
  return cursor
    ? sql`(${createdAt}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id})`
    : undefined;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  has_more: boolean;
}

/**
 * A page from `limit + 1` fetched rows: the extra row only says there is more; the cursor is
 * the last returned row's position.
 */
export function toPage<R>(rows: R[], limit: number, cursorOf: (row: R) => string): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const hasMore = rows.length > limit && last !== undefined;
  return { items, next_cursor: hasMore ? cursorOf(last) : null, has_more: hasMore };
}

/** The same page with its items mapped (e.g. rows to their API shape). */
export function mapPage<R, T>(page: Page<R>, map: (row: R) => T): Page<T> {
  return { ...page, items: page.items.map(map) };
}

/** The JSON body of a list route: the items under the list's plural name, then the paging. */
export function pageBody<K extends string, T>(name: K, page: Page<T>) {
  return { [name]: page.items, next_cursor: page.next_cursor, has_more: page.has_more } as {
    [P in K]: T[];
  } & { next_cursor: string | null; has_more: boolean };
}

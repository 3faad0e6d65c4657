import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import type { ChainRecord } from "@/lib/platform/audit/chain";
import { CHAIN_ROW_COLUMNS } from "@/lib/platform/audit/chain-lines.mjs";

export interface ChainRow extends ChainRecord {
  prev_hash: string;
  hash: string;
}

// The exact path reads columns already in export form (lib/platform/audit/chain-lines.mjs), timestamps
// rendered by PostgreSQL in the exact ISO 8601 millisecond form the chain hashes. ORDER BY
// names the table column: the text alias would sort lexically.
const COLUMNS = sql.raw(CHAIN_ROW_COLUMNS);

type Raw = Omit<ChainRow, "seq"> & { seq: string };

/** Up to `limit` events matching `where` with seq in (after, through], oldest first. */
export async function fetchChainRows(
  where: SQL,
  after: number,
  through: number | null,
  limit: number,
): Promise<ChainRow[]> {
  const result = await getDb().execute<Raw>(
    sql`select ${COLUMNS} from audit_events where ${where} and audit_events.seq > ${after}
        ${through === null ? sql`` : sql`and audit_events.seq <= ${through}`}
        order by audit_events.seq limit ${limit}`,
  );
  return rowsOf<Raw>(result).map((r) => {
    const row = r as unknown as ChainRow;
    row.seq = Number(r.seq);
    if (typeof row.details === "string")
      row.details = JSON.parse(row.details) as Record<string, unknown>;
    return row;
  });
}

import { bigint, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./columns";
import { tenants } from "./tenants";

// One row per tenant: the newest event of its chain (locked FOR UPDATE by each append, which
// serialises appends per tenant) and the anchor the chain verifies from after a purge.
export const auditChainHeads = pgTable("audit_chain_heads", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
  lastOccurredAt: ts("last_occurred_at"),
  /** seq of the newest purged event (0: nothing purged) and its hash. */
  anchorSeq: bigint("anchor_seq", { mode: "number" }).notNull().default(0),
  anchorHash: text("anchor_hash").notNull(),
});

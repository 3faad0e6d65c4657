import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, ts } from "./columns";
import { tenants } from "./tenants";
import { users } from "./users";

// A sealed Twilio credential: metadata only. The sealed values live in credential_versions.
export const credentials = pgTable(
  "credentials",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** basic_auth | api_key | webhook_secret */
    type: text("type").notNull(),
    currentVersion: integer("current_version").notNull(),
    /** How long a superseded version keeps validating webhooks after a rotation. */
    graceSeconds: integer("grace_seconds").notNull().default(86_400),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
    /**
     * The Account SID masked to its last four characters (`AC…4f2a`), for lists; null for a
     * webhook_secret. The full SID stays sealed.
     */
    accountSidMasked: text("account_sid_masked"),
    /** When Twilio last accepted the credential (account fetch at sealing or on request). */
    verifiedAt: ts("verified_at"),
  },
  (t) => [index("credentials_tenant_idx").on(t.tenantId, t.createdAt)],
);

export type Credential = typeof credentials.$inferSelect;

import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, ts } from "./columns";

// Messages sent through the proxy, and their delivery state as Twilio's status callbacks
// report it (queued, sent, delivered, undelivered with an error code such as 30003).
export const proxiedMessages = pgTable(
  "proxied_messages",
  {
    sid: text("sid").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    integrationId: text("integration_id").notNull(),
    status: text("status").notNull(),
    errorCode: integer("error_code"),
    toLast2: text("to_last2"),
    toHmac: text("to_hmac"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("proxied_messages_tenant_idx").on(t.tenantId, t.integrationId, t.createdAt)],
);

import { boolean, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./columns";

export const tenants = pgTable("tenants", {
  id: idColumn(),
  name: text("name").notNull(),
  /** Audit events older than this are purged (the chain stays verifiable from an anchor). */
  auditRetentionDays: integer("audit_retention_days").notNull().default(400),
  /** Which KMS wraps this tenant's secrets: `local` (master key) or `aws-kms` (its own CMK). */
  kmsProvider: text("kms_provider").notNull().default("local"),
  kmsKeyArn: text("kms_key_arn"),
  /** Where every signed audit checkpoint is also sent (outside the database owner's reach). */
  checkpointForwardUrl: text("checkpoint_forward_url"),
  /** Owners' policy: every member must have a second factor (passkey or TOTP) to use the tenant. */
  requireMfa: boolean("require_mfa").notNull().default(false),
  createdAt: createdAt(),
});

export type Tenant = typeof tenants.$inferSelect;

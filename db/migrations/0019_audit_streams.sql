CREATE TABLE "audit_streams" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"secret_sealed" text NOT NULL,
	"secret_vault_key_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"cursor_seq" bigint DEFAULT 0 NOT NULL,
	"checkpoint_seq" bigint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"claim_token" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_streams_cursor_positive" CHECK ("audit_streams"."cursor_seq" >= 0 and "audit_streams"."checkpoint_seq" >= 0)
);
--> statement-breakpoint
ALTER TABLE "audit_streams" ADD CONSTRAINT "audit_streams_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_streams_tenant_idx" ON "audit_streams" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_streams_due_idx" ON "audit_streams" USING btree ("next_attempt_at") WHERE "audit_streams"."enabled";
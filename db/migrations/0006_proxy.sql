CREATE TABLE "integrations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"system_type" text NOT NULL,
	"credential_id" text NOT NULL,
	"webhook_credential_id" text,
	"allowed_operations" text[] DEFAULT '{}' NOT NULL,
	"verify_service_sid" text,
	"default_from" text,
	"messaging_service_sid" text,
	"allowed_countries" text[] DEFAULT '{}' NOT NULL,
	"sends_per_destination" integer DEFAULT 3 NOT NULL,
	"checks_per_destination" integer DEFAULT 5 NOT NULL,
	"destination_window_seconds" integer DEFAULT 600 NOT NULL,
	"key_burst" integer DEFAULT 20 NOT NULL,
	"key_rate_per_second" integer DEFAULT 5 NOT NULL,
	"forward_url" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"tokens" double precision NOT NULL,
	"allowed" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"api_key_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"http_status" integer,
	"success" boolean,
	"audit_event_id" text,
	"sealed_result" text,
	"vault_key_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_api_key_id_key_pk" PRIMARY KEY("tenant_id","api_key_id","key")
);
--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_webhook_credential_id_credentials_id_fk" FOREIGN KEY ("webhook_credential_id") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "integrations_tenant_idx" ON "integrations" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "integrations_credential_idx" ON "integrations" USING btree ("credential_id");--> statement-breakpoint
CREATE INDEX "integrations_webhook_credential_idx" ON "integrations" USING btree ("webhook_credential_id");--> statement-breakpoint
CREATE INDEX "rate_events_scope_at_idx" ON "rate_events" USING btree ("scope","at");--> statement-breakpoint
CREATE INDEX "rate_events_at_idx" ON "rate_events" USING btree ("at");
CREATE TABLE "signing_key_fetches" (
	"tenant_id" text NOT NULL,
	"api_key_id" text NOT NULL,
	"signing_key_id" text NOT NULL,
	"first_fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signing_key_fetches_api_key_id_signing_key_id_pk" PRIMARY KEY("api_key_id","signing_key_id")
);
--> statement-breakpoint
ALTER TABLE "tenant_signing_keys" ADD COLUMN "endorsed_by" text;--> statement-breakpoint
ALTER TABLE "tenant_signing_keys" ADD COLUMN "endorsement" text;--> statement-breakpoint
ALTER TABLE "tenant_signing_keys" ADD COLUMN "activates_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rolled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_cidrs" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_per_second" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "burst" integer;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_previous_secret_sealed" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_previous_secret_vault_key_id" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_previous_valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "forward_disabled_reason" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "intake_auth_username" text;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "intake_auth_hash" text;--> statement-breakpoint
ALTER TABLE "signing_key_fetches" ADD CONSTRAINT "signing_key_fetches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
CREATE TABLE "verification_attempts" (
	"tenant_id" text NOT NULL,
	"sid" text NOT NULL,
	"integration_id" text NOT NULL,
	"country" text NOT NULL,
	"number_hash" text NOT NULL,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at" timestamp with time zone,
	"sms_failed_at" timestamp with time zone,
	CONSTRAINT "verification_attempts_tenant_id_sid_pk" PRIMARY KEY("tenant_id","sid")
);
--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "pumping_action" text DEFAULT 'alert' NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "pumping_min_volume" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "pumping_min_conversion" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "pumping_window_seconds" integer DEFAULT 3600 NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_attempts" ADD CONSTRAINT "verification_attempts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "verification_attempts_country_idx" ON "verification_attempts" USING btree ("tenant_id","integration_id","country","created_at");--> statement-breakpoint
CREATE INDEX "verification_attempts_number_idx" ON "verification_attempts" USING btree ("tenant_id","integration_id","number_hash","created_at");
CREATE TABLE "line_type_lookups" (
	"tenant_id" text NOT NULL,
	"number_hash" text NOT NULL,
	"line_type" text,
	"carrier" text,
	"looked_up_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_type_lookups_tenant_id_number_hash_pk" PRIMARY KEY("tenant_id","number_hash")
);
--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "line_type_check" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "voip_policy" text DEFAULT 'flag' NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "line_type_cache_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "line_type_lookups" ADD CONSTRAINT "line_type_lookups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
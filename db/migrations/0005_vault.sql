CREATE TABLE "tenant_vault_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"algorithm" text NOT NULL,
	"public_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"wrapped_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "client_public_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"algorithm" text NOT NULL,
	"public_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"current_version" integer NOT NULL,
	"grace_seconds" integer DEFAULT 86400 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credential_versions" (
	"credential_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"version" integer NOT NULL,
	"vault_key_id" text NOT NULL,
	"sealed" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone,
	CONSTRAINT "credential_versions_credential_id_version_pk" PRIMARY KEY("credential_id","version")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "kms_provider" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "kms_key_arn" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "client_key_id" text;--> statement-breakpoint
ALTER TABLE "tenant_vault_keys" ADD CONSTRAINT "tenant_vault_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_public_keys" ADD CONSTRAINT "client_public_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_public_keys" ADD CONSTRAINT "client_public_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_versions" ADD CONSTRAINT "credential_versions_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_versions" ADD CONSTRAINT "credential_versions_vault_key_id_tenant_vault_keys_id_fk" FOREIGN KEY ("vault_key_id") REFERENCES "public"."tenant_vault_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_vault_keys_tenant_version_key" ON "tenant_vault_keys" USING btree ("tenant_id","version");--> statement-breakpoint
CREATE INDEX "client_public_keys_tenant_idx" ON "client_public_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "credentials_tenant_idx" ON "credentials" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "credential_versions_vault_key_idx" ON "credential_versions" USING btree ("vault_key_id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_client_key_id_client_public_keys_id_fk" FOREIGN KEY ("client_key_id") REFERENCES "public"."client_public_keys"("id") ON DELETE no action ON UPDATE no action;
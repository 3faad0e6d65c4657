ALTER TABLE "credentials" ADD COLUMN "account_sid_masked" text;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "verified_at" timestamp with time zone;
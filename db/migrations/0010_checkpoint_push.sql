ALTER TABLE "webhook_deliveries" ALTER COLUMN "event_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "checkpoint_forward_url" text;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "timestamp_token" text;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "timestamp_authority" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "checkpoint_id" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_checkpoint_id_audit_checkpoints_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."audit_checkpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_one_subject" CHECK (("webhook_deliveries"."event_id" is null) <> ("webhook_deliveries"."checkpoint_id" is null));
ALTER TABLE "integrations" ADD COLUMN "end_user_ip_sends" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "end_user_id_checks" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "end_user_window_seconds" integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE "integrations" ADD COLUMN "require_end_user" boolean DEFAULT false NOT NULL;
DROP INDEX "audit_events_tenant_time_idx";--> statement-breakpoint
CREATE INDEX "audit_events_tenant_time_idx" ON "audit_events" USING btree ("tenant_id","occurred_at","seq");
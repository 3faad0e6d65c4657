-- details keeps its JCS text byte for byte from now on (json, not jsonb). Existing rows keep
-- jsonb's rendering of the same object; verification handles them by its exact path.
-- ALTER TYPE rewrites the table without firing row triggers, so the append-only trigger stays.
ALTER TABLE "audit_events" ALTER COLUMN "details" SET DATA TYPE json USING "details"::json;

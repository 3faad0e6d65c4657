-- The retention purge's way past the append-only trigger (pqseal.audit_purge = 'on') is open
-- only to the owner of audit_events (the role that runs the migrations, which the server uses)
-- and to superusers. Any other role with DML rights that sets the flag is refused like
-- everyone else. Deleting the newest events by other means (a superuser disabling the
-- trigger) is caught by verification against the newest signed checkpoint.
CREATE OR REPLACE FUNCTION audit_events_purge_allowed(owner_oid oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('pqseal.audit_purge', true), '') = 'on'
    AND pg_has_role(current_user, owner_oid, 'MEMBER');
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND audit_events_purge_allowed(
    (SELECT relowner FROM pg_class WHERE oid = TG_RELID)
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF audit_events_purge_allowed((SELECT relowner FROM pg_class WHERE oid = TG_RELID)) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: TRUNCATE refused'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- What verification trusts besides the events themselves may be changed only by the owner of
-- the audit tables (the role that ran the migrations, which the server uses) or a superuser,
-- never by a role that merely has DML rights (docs/decisions/0007):
--  * audit_checkpoints: inserted by the server; the only update is filling in the RFC 3161
--    timestamp once; deleted only with the purge flag (like audit_events).
--  * audit_chain_heads: the anchor moves only with the purge flag.
--  * tenant_signing_keys: a checkpoint signed by a key someone inserted must not verify.
CREATE OR REPLACE FUNCTION pqseal_is_owner(rel oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = rel), 'MEMBER');
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_checkpoints_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pqseal_is_owner(TG_RELID) THEN
    RAISE EXCEPTION 'audit_checkpoints: % refused for this role', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF audit_events_purge_allowed((SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID)) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_checkpoints is append-only: DELETE refused'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- UPDATE: only the one-time timestamp, nothing signed.
  IF OLD.timestamp_token IS NULL
     AND NEW.id = OLD.id AND NEW.tenant_id = OLD.tenant_id AND NEW.seq = OLD.seq
     AND NEW.head_hash = OLD.head_hash AND NEW.signed_at = OLD.signed_at
     AND NEW.key_id = OLD.key_id AND NEW.signature = OLD.signature THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_checkpoints is append-only: UPDATE refused'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_guard
  BEFORE INSERT OR UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_heads_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.anchor_seq IS DISTINCT FROM OLD.anchor_seq
     OR NEW.anchor_hash IS DISTINCT FROM OLD.anchor_hash THEN
    IF audit_events_purge_allowed((SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID)) THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'audit_chain_heads: the anchor moves only with the retention purge'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_chain_heads_guard
  BEFORE UPDATE OR DELETE ON audit_chain_heads
  FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tenant_signing_keys_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pqseal_is_owner(TG_RELID) THEN
    RAISE EXCEPTION 'tenant_signing_keys: % refused for this role', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER tenant_signing_keys_guard
  BEFORE INSERT OR UPDATE OR DELETE ON tenant_signing_keys
  FOR EACH ROW EXECUTE FUNCTION tenant_signing_keys_guard();

-- The audit log is append-only in the database itself (SPEC §6): no role the
-- hub connects with can change or remove a record without first disabling
-- this trigger, which leaves its own trace in the server log.
CREATE OR REPLACE FUNCTION "hub"."audit_log_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hub.audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete"
  BEFORE UPDATE OR DELETE ON "hub"."audit_log"
  FOR EACH ROW EXECUTE FUNCTION "hub"."audit_log_append_only"();
--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "hub"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "hub"."audit_log_append_only"();

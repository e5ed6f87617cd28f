CREATE TABLE "hub"."access_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" bigint NOT NULL,
	"subject_type" varchar(10) NOT NULL,
	"subject_id" char(18) NOT NULL,
	"reported_by" char(18) NOT NULL,
	"note" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_by_officer" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "access_reports_resolved_check" CHECK (("hub"."access_reports"."resolution" is null) = ("hub"."access_reports"."resolved_at" is null) and ("hub"."access_reports"."resolved_by" is null) = ("hub"."access_reports"."resolved_at" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "access_reports_record_reporter_idx" ON "hub"."access_reports" USING btree ("record_id","reported_by");--> statement-breakpoint
CREATE INDEX "access_reports_reporter_idx" ON "hub"."access_reports" USING btree ("reported_by","reported_at");--> statement-breakpoint
CREATE INDEX "access_reports_open_idx" ON "hub"."access_reports" USING btree ("reported_at") WHERE "hub"."access_reports"."resolved_at" is null;--> statement-breakpoint
-- A report is written once and resolved once (issue 15): what the citizen reported and what a steward
-- answered cannot be edited or removed afterwards, by the hub or by anyone with its credentials.
CREATE OR REPLACE FUNCTION "hub"."access_reports_resolve_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL
     AND NEW.id = OLD.id AND NEW.record_id = OLD.record_id AND NEW.subject_type = OLD.subject_type
     AND NEW.subject_id = OLD.subject_id AND NEW.reported_by = OLD.reported_by
     AND NEW.note = OLD.note AND NEW.reported_at = OLD.reported_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'hub.access_reports: a report is resolved once and never changed or deleted (%)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "access_reports_resolve_once"
  BEFORE UPDATE OR DELETE ON "hub"."access_reports"
  FOR EACH ROW EXECUTE FUNCTION "hub"."access_reports_resolve_once"();--> statement-breakpoint
CREATE TRIGGER "access_reports_no_truncate"
  BEFORE TRUNCATE ON "hub"."access_reports"
  FOR EACH STATEMENT EXECUTE FUNCTION "hub"."access_reports_resolve_once"();

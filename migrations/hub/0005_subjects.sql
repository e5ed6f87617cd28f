-- Data subjects beyond citizens (issue 12, SPEC §6): every audit record names
-- its subject's type and ID; citizen_id stays, set for citizens only. Records
-- already written are about citizens: their subject is their citizen_id,
-- which their own hash covers (chain versions 1 and 2), so setting these
-- columns leaves the chain intact; the verifier checks that they still agree.
-- New records are chain version 3, whose hash covers the subject as well.
ALTER TABLE "hub"."audit_log" ALTER COLUMN "citizen_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD COLUMN "subject_type" varchar(10);--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD COLUMN "subject_id" char(18);--> statement-breakpoint
ALTER TABLE "hub"."audit_log" DISABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
UPDATE "hub"."audit_log" SET "subject_type" = 'CITIZEN', "subject_id" = "citizen_id";--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ENABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ALTER COLUMN "subject_type" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ALTER COLUMN "subject_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "hub"."audit_log" USING btree ("subject_type","subject_id","id");--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD CONSTRAINT "audit_log_subject_check" CHECK ("hub"."audit_log"."subject_type" in ('CITIZEN', 'ENTERPRISE') and ("hub"."audit_log"."citizen_id" is null) = ("hub"."audit_log"."subject_type" = 'ENTERPRISE'));

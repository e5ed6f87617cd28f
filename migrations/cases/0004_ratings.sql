CREATE TABLE "cases"."applications" (
	"case_number" varchar(24) PRIMARY KEY NOT NULL,
	"service_code" varchar(32) NOT NULL,
	"department" varchar(32) NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"items" smallint NOT NULL,
	"prefilled" smallint NOT NULL,
	"recollected" smallint NOT NULL,
	"prefilled_from_others" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases"."case_ratings" (
	"case_number" varchar(24) PRIMARY KEY NOT NULL,
	"department" varchar(32) NOT NULL,
	"service_code" varchar(32) NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text,
	"rated_by" char(18) NOT NULL,
	"rated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_ratings_rating_check" CHECK ("cases"."case_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "cases"."rating_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_number" varchar(24) NOT NULL,
	"department" varchar(32) NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"response" text,
	"answered_by" text,
	"answered_by_officer" text,
	"answered_at" timestamp with time zone,
	CONSTRAINT "rating_follow_ups_case_key" UNIQUE("case_number"),
	CONSTRAINT "rating_follow_ups_answer_check" CHECK (("cases"."rating_follow_ups"."response" is null) = ("cases"."rating_follow_ups"."answered_at" is null) and ("cases"."rating_follow_ups"."answered_by" is null) = ("cases"."rating_follow_ups"."answered_at" is null))
);
--> statement-breakpoint
CREATE INDEX "applications_submitted_idx" ON "cases"."applications" USING btree ("submitted_at","department");--> statement-breakpoint
CREATE INDEX "case_ratings_rated_idx" ON "cases"."case_ratings" USING btree ("rated_at","department");--> statement-breakpoint
CREATE INDEX "rating_follow_ups_department_idx" ON "cases"."rating_follow_ups" USING btree ("department","due_at");--> statement-breakpoint
CREATE INDEX "rating_follow_ups_opened_idx" ON "cases"."rating_follow_ups" USING btree ("opened_at");--> statement-breakpoint
-- A rating is written once (issue 16): what the citizen said of a service cannot be edited or removed
-- afterwards, by the hub or by anyone with its credentials. TRUNCATE stays allowed: a re-seed replaces the
-- whole demo world, cases and all.
CREATE OR REPLACE FUNCTION "cases"."case_ratings_written_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cases.case_ratings: a rating is never changed or deleted (%)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "case_ratings_written_once"
  BEFORE UPDATE OR DELETE ON "cases"."case_ratings"
  FOR EACH ROW EXECUTE FUNCTION "cases"."case_ratings_written_once"();--> statement-breakpoint
-- A follow-up is answered once: the only change allowed sets the answer of an unanswered one.
CREATE OR REPLACE FUNCTION "cases"."rating_follow_ups_answer_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.answered_at IS NULL AND NEW.answered_at IS NOT NULL
     AND NEW.id = OLD.id AND NEW.case_number = OLD.case_number AND NEW.department = OLD.department
     AND NEW.opened_at = OLD.opened_at AND NEW.due_at = OLD.due_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'cases.rating_follow_ups: a follow-up is answered once and never changed or deleted (%)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "rating_follow_ups_answer_once"
  BEFORE UPDATE OR DELETE ON "cases"."rating_follow_ups"
  FOR EACH ROW EXECUTE FUNCTION "cases"."rating_follow_ups_answer_once"();

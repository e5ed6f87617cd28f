CREATE SCHEMA "cases";
--> statement-breakpoint
CREATE TABLE "cases"."case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_number" varchar(24) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" varchar(12) NOT NULL,
	"actor" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "cases"."cases" (
	"number" varchar(24) PRIMARY KEY NOT NULL,
	"service_code" varchar(32) NOT NULL,
	"applicant_id" char(18) NOT NULL,
	"department" varchar(32) NOT NULL,
	"status" varchar(12) NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cases"."service_data_items" (
	"service_code" varchar(32) NOT NULL,
	"key" varchar(48) NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"required" boolean NOT NULL,
	"field" varchar(64),
	"license_kind" varchar(24),
	CONSTRAINT "service_data_items_service_code_key_pk" PRIMARY KEY("service_code","key")
);
--> statement-breakpoint
CREATE TABLE "cases"."services" (
	"code" varchar(32) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"theme" varchar(32) NOT NULL,
	"department" varchar(32) NOT NULL,
	"time_limit_days" integer NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "cases"."case_events" USING btree ("case_number","at");--> statement-breakpoint
CREATE INDEX "cases_applicant_idx" ON "cases"."cases" USING btree ("applicant_id");--> statement-breakpoint
CREATE INDEX "cases_submitted_idx" ON "cases"."cases" USING btree ("submitted_at","number");--> statement-breakpoint
CREATE INDEX "cases_service_submitted_idx" ON "cases"."cases" USING btree ("service_code","submitted_at");
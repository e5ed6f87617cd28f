CREATE TABLE "hub"."audit_log" (
	"id" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" varchar(64) NOT NULL,
	"consumer_id" varchar(64),
	"department" varchar(32),
	"officer" varchar(128),
	"purpose" varchar(48),
	"case_ref" varchar(64),
	"operation_name" varchar(128),
	"operation_hash" char(64) NOT NULL,
	"citizen_id" char(18) NOT NULL,
	"fields_returned" text[] NOT NULL,
	"fields_denied" text[] NOT NULL,
	"outcome" varchar(8) NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_citizen_idx" ON "hub"."audit_log" USING btree ("citizen_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_consumer_idx" ON "hub"."audit_log" USING btree ("consumer_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "hub"."audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_request_idx" ON "hub"."audit_log" USING btree ("request_id");
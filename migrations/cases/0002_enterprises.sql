ALTER TABLE "cases"."cases" ADD COLUMN "enterprise_id" char(18);--> statement-breakpoint
ALTER TABLE "cases"."services" ADD COLUMN "service_object" varchar(12) DEFAULT 'PERSON' NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_enterprise_idx" ON "cases"."cases" USING btree ("enterprise_id");
ALTER TABLE "hub"."audit_log" ADD COLUMN "service_code" varchar(32);--> statement-breakpoint
CREATE INDEX "audit_log_service_idx" ON "hub"."audit_log" USING btree ("service_code","at");
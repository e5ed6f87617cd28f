DROP INDEX "hub"."audit_log_citizen_idx";--> statement-breakpoint
DROP INDEX "hub"."audit_log_service_idx";--> statement-breakpoint
CREATE INDEX "audit_log_service_idx" ON "hub"."audit_log" USING btree ("service_code","at") WHERE "hub"."audit_log"."service_code" is not null;
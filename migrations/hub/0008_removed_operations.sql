DROP INDEX "hub"."registered_operations_consumer_hash_idx";--> statement-breakpoint
ALTER TABLE "hub"."registered_operations" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hub"."registered_operations" ADD COLUMN "removed_by" text;--> statement-breakpoint
ALTER TABLE "hub"."registered_operations" ADD COLUMN "removed_by_officer" text;--> statement-breakpoint
CREATE UNIQUE INDEX "registered_operations_in_force_idx" ON "hub"."registered_operations" USING btree ("consumer_id","hash") WHERE "hub"."registered_operations"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "registered_operations_consumer_idx" ON "hub"."registered_operations" USING btree ("consumer_id","registered_at");
CREATE TABLE "hub"."registered_operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consumer_id" varchar(64) NOT NULL,
	"name" text,
	"hash" char(64) NOT NULL,
	"document" text NOT NULL,
	"fields" text[] NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"registered_by" text NOT NULL,
	"registered_by_officer" text
);
--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "registered_operations_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "registered_operations_only_set_by" text;--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "registered_operations_only_set_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "registered_operations_only_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "hub"."registered_operations" ADD CONSTRAINT "registered_operations_consumer_id_consumers_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "hub"."consumers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registered_operations_consumer_hash_idx" ON "hub"."registered_operations" USING btree ("consumer_id","hash");
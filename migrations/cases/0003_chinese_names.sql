ALTER TABLE "cases"."service_data_items" ADD COLUMN "label_zh" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases"."services" ADD COLUMN "name_zh" text DEFAULT '' NOT NULL;
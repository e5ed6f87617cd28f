CREATE SCHEMA "enterprise";
--> statement-breakpoint
CREATE TABLE "enterprise"."enterprises" (
	"id" char(18) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" varchar(32) NOT NULL,
	"status" varchar(12) NOT NULL,
	"established_on" date NOT NULL,
	"registered_capital" bigint NOT NULL,
	"address" text NOT NULL,
	"business_scope" text NOT NULL,
	"legal_representative_id" char(18) NOT NULL,
	"legal_representative_name" text NOT NULL,
	"contact_phone" text,
	"region_code" char(6) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "enterprises_representative_idx" ON "enterprise"."enterprises" USING btree ("legal_representative_id");
CREATE SCHEMA "registry";
--> statement-breakpoint
CREATE TABLE "registry"."citizens" (
	"id" char(18) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" char(1) NOT NULL,
	"household_id" varchar(20) NOT NULL,
	"relation" text NOT NULL,
	"phone" text,
	"email" text,
	"status" varchar(8) NOT NULL,
	"died_on" date
);
--> statement-breakpoint
CREATE TABLE "registry"."households" (
	"id" varchar(20) PRIMARY KEY NOT NULL,
	"region_code" char(6) NOT NULL,
	"district" text NOT NULL,
	"street" text NOT NULL,
	"community" text NOT NULL,
	"line" text NOT NULL,
	"postal_code" char(6) NOT NULL,
	"head_id" char(18)
);
--> statement-breakpoint
CREATE INDEX "citizens_household_idx" ON "registry"."citizens" USING btree ("household_id");
CREATE SCHEMA "licensing";
--> statement-breakpoint
CREATE TABLE "licensing"."licenses" (
	"number" varchar(24) PRIMARY KEY NOT NULL,
	"holder_id" char(18) NOT NULL,
	"kind" varchar(24) NOT NULL,
	"status" varchar(12) NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date,
	"issuer" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "licenses_holder_idx" ON "licensing"."licenses" USING btree ("holder_id");
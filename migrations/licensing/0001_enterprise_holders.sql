ALTER TABLE "licensing"."licenses" ALTER COLUMN "holder_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "licensing"."licenses" ADD COLUMN "enterprise_id" char(18);--> statement-breakpoint
CREATE INDEX "licenses_enterprise_idx" ON "licensing"."licenses" USING btree ("enterprise_id");--> statement-breakpoint
ALTER TABLE "licensing"."licenses" ADD CONSTRAINT "licenses_one_holder" CHECK (("licensing"."licenses"."holder_id" is null) <> ("licensing"."licenses"."enterprise_id" is null));
-- Who did it is the credential (issue 11, SPEC §3): every "by" column holds
-- the credential's actor; the officer a caller declares is kept beside it.
ALTER TABLE "hub"."access_requests" ADD COLUMN "requested_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."access_requests" ADD COLUMN "decided_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."api_keys" ADD COLUMN "created_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."api_keys" ADD COLUMN "revoked_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "portal" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."consumers" ADD COLUMN "created_by_officer" text;--> statement-breakpoint
ALTER TABLE "hub"."grants" ADD COLUMN "officer" text;--> statement-breakpoint
ALTER TABLE "hub"."grants" ADD COLUMN "revoked_by_officer" text;--> statement-breakpoint
-- The demo portal of an existing development setup signs citizens in, as a new setup's does.
UPDATE "hub"."consumers" SET "portal" = true WHERE "id" = 'citizen-portal' AND "created_by" = 'demo-seed';--> statement-breakpoint
-- Audit records gain actor and role. Records already written keep chain
-- version 1: their hash never covered these columns, so filling them in below
-- leaves the chain intact; new records are written as version 2, whose hash
-- covers them (src/audit/chain.ts). The values filled in are inferred from
-- what version 1 recorded (the officer or the consumer; a national ID as the
-- officer was a citizen), not proven by a hash.
ALTER TABLE "hub"."audit_log" ADD COLUMN "actor" text;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD COLUMN "chain_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" DISABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
UPDATE "hub"."audit_log" AS a SET
  "actor" = coalesce(a."officer", a."consumer_id", 'unknown'),
  "role" = CASE
    WHEN a."officer" ~ '^[0-9]{17}[0-9X]$' THEN 'citizen'
    WHEN a."consumer_id" IS NULL THEN 'steward'
    ELSE coalesce((SELECT c."role" FROM "hub"."consumers" AS c WHERE c."id" = a."consumer_id"), 'consumer')
  END;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ENABLE TRIGGER "audit_log_no_update_delete";--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ALTER COLUMN "actor" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ALTER COLUMN "role" SET NOT NULL;--> statement-breakpoint
-- Every record from now on says how it was chained.
ALTER TABLE "hub"."audit_log" ALTER COLUMN "chain_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "hub"."audit_log" ADD CONSTRAINT "audit_log_role_check" CHECK ("hub"."audit_log"."role" in ('consumer', 'steward', 'citizen'));

CREATE SCHEMA "hub";
--> statement-breakpoint
CREATE TABLE "hub"."access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consumer_id" varchar(64) NOT NULL,
	"fields" text[] NOT NULL,
	"purpose" varchar(48) NOT NULL,
	"justification" text NOT NULL,
	"status" varchar(16) DEFAULT 'PENDING' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "access_requests_status_check" CHECK ("hub"."access_requests"."status" in ('PENDING', 'APPROVED', 'REJECTED'))
);
--> statement-breakpoint
CREATE TABLE "hub"."api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consumer_id" varchar(64) NOT NULL,
	"hash" varchar(64) NOT NULL,
	"prefix" varchar(12) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
CREATE TABLE "hub"."consumers" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" varchar(32) NOT NULL,
	"role" varchar(16) DEFAULT 'consumer' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "consumers_role_check" CHECK ("hub"."consumers"."role" in ('consumer', 'steward'))
);
--> statement-breakpoint
CREATE TABLE "hub"."grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consumer_id" varchar(64) NOT NULL,
	"field" varchar(64) NOT NULL,
	"purposes" text[] NOT NULL,
	"condition" varchar(16) DEFAULT 'NONE' NOT NULL,
	"mask" varchar(16) DEFAULT 'NONE' NOT NULL,
	"expires_at" timestamp with time zone,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	CONSTRAINT "grants_condition_check" CHECK ("hub"."grants"."condition" in ('NONE', 'ACTIVE_CASE')),
	CONSTRAINT "grants_mask_check" CHECK ("hub"."grants"."mask" in ('NONE', 'YEAR_ONLY', 'PARTIAL', 'PRESENCE'))
);
--> statement-breakpoint
CREATE TABLE "hub"."purposes" (
	"code" varchar(48) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"legal_basis" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hub"."access_requests" ADD CONSTRAINT "access_requests_consumer_id_consumers_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "hub"."consumers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."api_keys" ADD CONSTRAINT "api_keys_consumer_id_consumers_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "hub"."consumers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hub"."grants" ADD CONSTRAINT "grants_consumer_id_consumers_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "hub"."consumers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_requests_status_idx" ON "hub"."access_requests" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "hub"."api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_consumer_idx" ON "hub"."api_keys" USING btree ("consumer_id");--> statement-breakpoint
CREATE INDEX "grants_consumer_idx" ON "hub"."grants" USING btree ("consumer_id");
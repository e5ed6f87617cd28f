CREATE SCHEMA "hub";
--> statement-breakpoint
CREATE TABLE "hub"."consumers" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" varchar(32) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."purposes" (
	"code" varchar(48) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"legal_basis" text NOT NULL
);

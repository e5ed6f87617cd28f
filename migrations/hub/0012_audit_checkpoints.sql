CREATE TABLE "hub"."audit_checkpoints" (
	"record_id" bigint PRIMARY KEY NOT NULL,
	"hash" char(64) NOT NULL,
	"chain_version" smallint NOT NULL,
	"mac" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked" bigint NOT NULL
);

CREATE TABLE "hub"."audit_rollups" (
	"name" varchar(32) PRIMARY KEY NOT NULL,
	"last_id" bigint NOT NULL,
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub"."caseless_reads" (
	"consumer_id" varchar(64) NOT NULL,
	"day" date NOT NULL,
	"citizen_id" char(18) NOT NULL,
	CONSTRAINT "caseless_reads_day_consumer_id_citizen_id_pk" PRIMARY KEY("day","consumer_id","citizen_id")
);
--> statement-breakpoint
CREATE TABLE "hub"."grant_usage" (
	"consumer_id" varchar(64) NOT NULL,
	"field" varchar(64) NOT NULL,
	"purpose" varchar(48) NOT NULL,
	"day" date NOT NULL,
	"reads" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "grant_usage_consumer_id_field_purpose_day_pk" PRIMARY KEY("consumer_id","field","purpose","day")
);

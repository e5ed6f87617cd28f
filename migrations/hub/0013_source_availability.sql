CREATE TABLE "hub"."source_availability" (
	"source" varchar(32) NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"checks" integer NOT NULL,
	"checks_up" integer NOT NULL,
	"calls" integer NOT NULL,
	"calls_failed" integer NOT NULL,
	CONSTRAINT "source_availability_source_hour_pk" PRIMARY KEY("source","hour")
);

CREATE TABLE "cases"."case_items" (
	"case_number" varchar(24) NOT NULL,
	"key" varchar(48) NOT NULL,
	"origin" varchar(12) NOT NULL,
	"source" varchar(32),
	"value" text,
	CONSTRAINT "case_items_case_number_key_pk" PRIMARY KEY("case_number","key")
);

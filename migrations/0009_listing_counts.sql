CREATE TABLE "listing_counts" (
	"key" text PRIMARY KEY NOT NULL,
	"published" integer DEFAULT 0 NOT NULL
);

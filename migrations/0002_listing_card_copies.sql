ALTER TABLE "listings" ADD COLUMN "host_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "photo_keys" text[] DEFAULT '{}'::text[] NOT NULL;
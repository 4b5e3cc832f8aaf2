CREATE TYPE "public"."cancellation_policy" AS ENUM('flexible', 'moderate', 'firm');--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "instant_book" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "cancellation_policy" "cancellation_policy" DEFAULT 'moderate' NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "cleaning_fee" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "min_nights" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "max_nights" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_cleaning_fee" CHECK ("listings"."cleaning_fee" >= 0);--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_nights" CHECK (1 <= "listings"."min_nights" and "listings"."min_nights" <= "listings"."max_nights" and "listings"."max_nights" <= 365);
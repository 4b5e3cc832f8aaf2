CREATE TYPE "public"."cancelled_by" AS ENUM('guest', 'host', 'admin');--> statement-breakpoint
ALTER TYPE "public"."payout_status" ADD VALUE 'on_hold';--> statement-breakpoint
ALTER TYPE "public"."payout_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TABLE "reviews" DROP CONSTRAINT "reviews_booking_id_unique";--> statement-breakpoint
DROP INDEX "reviews_listing_idx";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancelled_by" "cancelled_by";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "review_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "rating_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "host_payout_accounts" ADD COLUMN "bank_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "transfer_code" text;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "requested_at" timestamp with time zone;--> statement-breakpoint
-- Edited before it shipped: reviews written before this were guests' reviews of the listing.
ALTER TABLE "reviews" ADD COLUMN "author_role" "principal_role" DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ALTER COLUMN "author_role" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "host_id" uuid;--> statement-breakpoint
UPDATE "reviews" r SET "host_id" = b."host_id" FROM "bookings" b WHERE b."id" = r."booking_id";--> statement-breakpoint
ALTER TABLE "reviews" ALTER COLUMN "host_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "published_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_host_cancelled_idx" ON "bookings" USING btree ("cancelled_at" desc) WHERE "bookings"."cancelled_by" = 'host';--> statement-breakpoint
CREATE INDEX "payouts_processing_idx" ON "payouts" USING btree ("requested_at") WHERE "payouts"."status" = 'processing';--> statement-breakpoint
CREATE INDEX "payouts_status_idx" ON "payouts" USING btree ("status","created_at" desc);--> statement-breakpoint
CREATE INDEX "reviews_listing_idx" ON "reviews" USING btree ("listing_id","published_at" desc,"id" desc) WHERE "reviews"."author_role" = 'user' and "reviews"."published_at" is not null;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_booking_author" UNIQUE("booking_id","author_role");--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_ratings" CHECK ("listings"."rating_sum" between "listings"."review_count" and 5 * "listings"."review_count");--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_author" CHECK ("reviews"."author_role" in ('user', 'host'));--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "host_part" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_host_part" CHECK ("refunds"."host_part" between 0 and "refunds"."amount");--> statement-breakpoint
CREATE INDEX "bookings_confirmed_checkout_idx" ON "bookings" USING btree ("check_out") WHERE "bookings"."status" = 'confirmed';

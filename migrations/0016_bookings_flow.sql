CREATE TYPE "public"."hold_kind" AS ENUM('booking', 'block');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('pending', 'processing', 'processed', 'failed');--> statement-breakpoint
CREATE TABLE "listing_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"listing_id" uuid NOT NULL,
	"kind" "hold_kind" NOT NULL,
	"booking_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listing_holds_booking_id_unique" UNIQUE("booking_id"),
	CONSTRAINT "listing_holds_dates" CHECK ("listing_holds"."ends_on" > "listing_holds"."starts_on"),
	CONSTRAINT "listing_holds_kind" CHECK (("listing_holds"."kind" = 'booking') = ("listing_holds"."booking_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"role" "principal_role" NOT NULL,
	"principal_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"locked_until" timestamp with time zone,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_role_principal_id_key_pk" PRIMARY KEY("role","principal_id","key"),
	CONSTRAINT "idempotency_keys_state" CHECK ("idempotency_keys"."state" in ('running', 'done'))
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount" integer NOT NULL,
	"currency" text DEFAULT 'NGN' NOT NULL,
	"reason" text NOT NULL,
	"status" "refund_status" DEFAULT 'pending' NOT NULL,
	"provider_refund_id" text,
	"last_error" text,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_booking_id_unique" UNIQUE("booking_id"),
	CONSTRAINT "refunds_amount" CHECK ("refunds"."amount" > 0)
);
--> statement-breakpoint
-- Edited before it shipped: drizzle-kit recreates the enum, which existing rows and the old
-- overlap constraint refuse. Renaming and adding values keeps every row.
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_no_overlap";--> statement-breakpoint
ALTER TYPE "public"."booking_status" RENAME VALUE 'pending' TO 'pending_payment';--> statement-breakpoint
ALTER TYPE "public"."booking_status" ADD VALUE 'requested' AFTER 'pending_payment';--> statement-breakpoint
ALTER TYPE "public"."booking_status" ADD VALUE 'declined' AFTER 'confirmed';--> statement-breakpoint
ALTER TYPE "public"."booking_status" ADD VALUE 'expired' AFTER 'declined';--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "status" SET DEFAULT 'pending_payment';--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "nightly_price" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "subtotal" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cleaning_fee" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "service_fee" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "host_fee" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "host_payout" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancellation_policy" "cancellation_policy" DEFAULT 'moderate' NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "instant_book" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "authorization_url" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "access_code" text;--> statement-breakpoint
ALTER TABLE "listing_holds" ADD CONSTRAINT "listing_holds_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_holds" ADD CONSTRAINT "listing_holds_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
-- Bookings made before quotes existed cost their total, with no fees.
UPDATE "bookings" SET "subtotal" = "total_amount", "host_payout" = "total_amount",
  "nightly_price" = "total_amount" / ("check_out" - "check_in");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_money_adds_up" CHECK ("bookings"."total_amount" = "bookings"."subtotal" + "bookings"."cleaning_fee" + "bookings"."service_fee" and "bookings"."host_payout" = "bookings"."subtotal" + "bookings"."cleaning_fee" - "bookings"."host_fee");--> statement-breakpoint
-- One exclusion constraint keeps every hold of a listing apart, bookings and blocks alike:
-- the database refuses the second of two overlapping ones, however the requests race.
ALTER TABLE "listing_holds" ADD CONSTRAINT "listing_holds_no_overlap"
  EXCLUDE USING gist ("listing_id" WITH =, daterange("starts_on", "ends_on", '[)') WITH &&);--> statement-breakpoint
-- A booking holds its nights while it is pending payment, requested, confirmed or completed.
-- The hold row is written in the booking's own statement, so an overlap fails that statement.
CREATE FUNCTION "booking_hold"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status::text IN ('pending_payment', 'requested', 'confirmed', 'completed') THEN
    INSERT INTO listing_holds (listing_id, kind, booking_id, starts_on, ends_on)
    VALUES (NEW.listing_id, 'booking', NEW.id, NEW.check_in, NEW.check_out)
    ON CONFLICT (booking_id) DO UPDATE
      SET listing_id = excluded.listing_id, starts_on = excluded.starts_on, ends_on = excluded.ends_on;
  ELSE
    DELETE FROM listing_holds WHERE booking_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "bookings_hold" AFTER INSERT OR UPDATE OF "status", "listing_id", "check_in", "check_out"
  ON "bookings" FOR EACH ROW EXECUTE FUNCTION "booking_hold"();--> statement-breakpoint
INSERT INTO "listing_holds" ("listing_id", "kind", "booking_id", "starts_on", "ends_on")
  SELECT "listing_id", 'booking', "id", "check_in", "check_out" FROM "bookings"
  WHERE "status"::text IN ('pending_payment', 'confirmed', 'completed');--> statement-breakpoint
-- Booking lists page on (check_in, id), newest stay first. The host's and the guest's carry
-- the listed columns (lib/bookings/queries.ts's bookingListColumns), as 0006 did, so a page is
-- an index-only scan; drizzle cannot declare INCLUDE.
DROP INDEX "bookings_host_idx";--> statement-breakpoint
DROP INDEX "bookings_guest_idx";--> statement-breakpoint
CREATE INDEX "bookings_listing_idx" ON "bookings" USING btree ("listing_id","check_in" desc,"id" desc);--> statement-breakpoint
CREATE INDEX "bookings_host_idx" ON "bookings" USING btree ("host_id","check_in" desc,"id" desc)
  INCLUDE ("listing_id", "guest_id", "check_out", "guests", "status", "total_amount", "currency", "created_at");--> statement-breakpoint
CREATE INDEX "bookings_guest_idx" ON "bookings" USING btree ("guest_id","check_in" desc,"id" desc)
  INCLUDE ("listing_id", "host_id", "check_out", "guests", "status", "total_amount", "currency", "created_at");--> statement-breakpoint
CREATE INDEX "bookings_expiring_idx" ON "bookings" USING btree ("expires_at") WHERE "bookings"."expires_at" is not null;

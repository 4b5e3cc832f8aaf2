-- A host's or guest's booking list reads 20 rows scattered over the heap: 20 page reads
-- on top of the index. Carrying the listed columns in the index makes it an index-only
-- scan (the columns are those of lib/bookings.ts's bookingListColumns). Drizzle cannot
-- declare INCLUDE, so the indexes are rebuilt here under the same names.
DROP INDEX "bookings_host_idx";
--> statement-breakpoint
CREATE INDEX "bookings_host_idx" ON "bookings" ("host_id", "check_in" DESC)
  INCLUDE ("id", "listing_id", "guest_id", "check_out", "guests", "status", "total_amount", "currency", "created_at");
--> statement-breakpoint
DROP INDEX "bookings_guest_idx";
--> statement-breakpoint
CREATE INDEX "bookings_guest_idx" ON "bookings" ("guest_id", "check_in" DESC)
  INCLUDE ("id", "listing_id", "host_id", "check_out", "guests", "status", "total_amount", "currency", "created_at");

-- Constraints drizzle cannot declare, added by hand.

-- No two active bookings of one listing may overlap: the database refuses the second,
-- however the requests race. Dates are [check_in, check_out): checking out on the day the
-- next guest checks in is not an overlap.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("listing_id" WITH =, daterange("check_in", "check_out", '[)') WITH &&)
  WHERE ("status" IN ('pending', 'confirmed'));
--> statement-breakpoint
-- Messages are insert-only.
CREATE FUNCTION "refuse_message_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'messages are insert-only' USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "messages_insert_only" BEFORE UPDATE ON "messages"
  FOR EACH ROW EXECUTE FUNCTION "refuse_message_update"();

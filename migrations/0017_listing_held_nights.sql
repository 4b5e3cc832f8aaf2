ALTER TABLE "listings" ADD COLUMN "held" datemultirange DEFAULT '{}'::datemultirange NOT NULL;--> statement-breakpoint
-- listings.held copies the listing's holds from today on, merged, so a date search filters
-- the feed without a lookup per listing (bench:db: 203 shared buffers for a Lagos first page
-- with a holds lookup per listing, 29 with this). Rewritten on every change to a listing's
-- holds, in the statement that made it; listing_holds and its exclusion constraint still
-- decide every booking and block.
CREATE FUNCTION "listing_held_refresh"(listing uuid) RETURNS void LANGUAGE sql AS $$
  UPDATE listings SET held = coalesce(
    (SELECT range_agg(daterange(h.starts_on, h.ends_on, '[)')) FROM listing_holds h
     WHERE h.listing_id = listing AND h.ends_on > current_date),
    '{}'::datemultirange)
  WHERE id = listing;
$$;--> statement-breakpoint
CREATE FUNCTION "listing_holds_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    PERFORM listing_held_refresh(NEW.listing_id);
  END IF;
  IF TG_OP = 'DELETE' OR OLD.listing_id <> NEW.listing_id THEN
    PERFORM listing_held_refresh(OLD.listing_id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "listing_holds_held" AFTER INSERT OR UPDATE OR DELETE ON "listing_holds"
  FOR EACH ROW EXECUTE FUNCTION "listing_holds_changed"();--> statement-breakpoint
UPDATE "listings" l SET "held" = coalesce(
  (SELECT range_agg(daterange(h.starts_on, h.ends_on, '[)')) FROM listing_holds h
   WHERE h.listing_id = l.id AND h.ends_on > current_date),
  '{}'::datemultirange)
WHERE EXISTS (SELECT 1 FROM listing_holds h WHERE h.listing_id = l.id);

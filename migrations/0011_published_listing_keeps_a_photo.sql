-- A published listing keeps at least one photo, whatever deletes race: the trigger that
-- keeps listings.photo_keys refuses a photo change that would leave a published listing
-- with none, after locking the listing.
--
-- The listing row is locked in a statement of its own before its photos are read: in READ
-- COMMITTED each statement of a function takes a fresh snapshot, so the read sees every
-- photo change committed while this one waited for the lock. Reading in the locking UPDATE
-- itself would use the snapshot from before the wait: two concurrent deletes of a
-- listing's last two photos would each still see the other's photo, and both pass.
CREATE OR REPLACE FUNCTION "listing_photos_copy_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  affected uuid;
  left_published boolean;
BEGIN
  FOR affected IN
    SELECT DISTINCT x FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN OLD."listing_id" END,
      CASE WHEN TG_OP <> 'DELETE' THEN NEW."listing_id" END
    ]) AS x WHERE x IS NOT NULL
  LOOP
    PERFORM 1 FROM "listings" WHERE "id" = affected FOR UPDATE;
    UPDATE "listings" SET "photo_keys" = coalesce(
      (SELECT array_agg("s3_key" ORDER BY "position", "created_at") FROM "listing_photos" WHERE "listing_id" = affected),
      '{}'
    ) WHERE "id" = affected
    RETURNING "status" = 'published' AND cardinality("photo_keys") = 0 INTO left_published;
    IF left_published THEN
      RAISE EXCEPTION 'a published listing keeps at least one photo'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'listings_published_photo',
              TABLE = 'listings', SCHEMA = 'public';
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

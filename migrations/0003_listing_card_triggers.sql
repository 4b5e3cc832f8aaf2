-- Keep listings.host_name and listings.photo_keys equal to their sources, so the public
-- feed reads one row per card from one index range instead of joining hosts and photos.

CREATE FUNCTION "listings_fill_host_name"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT coalesce("name", '') INTO NEW."host_name" FROM "hosts" WHERE "id" = NEW."host_id";
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "listings_host_name" BEFORE INSERT OR UPDATE OF "host_id" ON "listings"
  FOR EACH ROW EXECUTE FUNCTION "listings_fill_host_name"();
--> statement-breakpoint
CREATE FUNCTION "hosts_copy_name"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "listings" SET "host_name" = coalesce(NEW."name", '') WHERE "host_id" = NEW."id";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "hosts_name" AFTER UPDATE OF "name" ON "hosts"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION "hosts_copy_name"();
--> statement-breakpoint
CREATE FUNCTION "listing_photos_copy_keys"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  affected uuid;
BEGIN
  FOR affected IN
    SELECT DISTINCT x FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN OLD."listing_id" END,
      CASE WHEN TG_OP <> 'DELETE' THEN NEW."listing_id" END
    ]) AS x WHERE x IS NOT NULL
  LOOP
    UPDATE "listings" SET "photo_keys" = coalesce(
      (SELECT array_agg("s3_key" ORDER BY "position", "created_at") FROM "listing_photos" WHERE "listing_id" = affected),
      '{}'
    ) WHERE "id" = affected;
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "listing_photos_keys" AFTER INSERT OR UPDATE OR DELETE ON "listing_photos"
  FOR EACH ROW EXECUTE FUNCTION "listing_photos_copy_keys"();

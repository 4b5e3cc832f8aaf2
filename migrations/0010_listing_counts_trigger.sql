-- Keep listing_counts equal to the number of published listings, overall ('') and per
-- lower-cased city, so the feed's total is one primary-key read.
ALTER TABLE "listing_counts" ADD CONSTRAINT "listing_counts_non_negative" CHECK ("published" >= 0);
--> statement-breakpoint
INSERT INTO "listing_counts" ("key", "published")
  SELECT '', count(*) FROM "listings" WHERE "status" = 'published'
  UNION ALL
  SELECT lower("city"), count(*) FROM "listings" WHERE "status" = 'published' GROUP BY lower("city")
ON CONFLICT ("key") DO UPDATE SET "published" = excluded."published";
--> statement-breakpoint
CREATE FUNCTION "listing_counts_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."status" = 'published' THEN
    UPDATE "listing_counts" SET "published" = "published" - 1 WHERE "key" IN ('', lower(OLD."city"));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."status" = 'published' THEN
    INSERT INTO "listing_counts" ("key", "published") VALUES ('', 1), (lower(NEW."city"), 1)
      ON CONFLICT ("key") DO UPDATE SET "published" = "listing_counts"."published" + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "listings_counts" AFTER INSERT OR DELETE OR UPDATE OF "status", "city" ON "listings"
  FOR EACH ROW EXECUTE FUNCTION "listing_counts_track"();

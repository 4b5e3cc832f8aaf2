import { desc, ne } from 'drizzle-orm';
import { cachedCatalogue, clientOf } from '#lib/catalogue/cache';
import { getHomeFeed } from '#lib/catalogue/contracts';
import { feedPageQuery, toCard } from '#lib/catalogue/feed';
import { db, schema } from '#lib/db/index';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

const HOME_TTL_SECONDS = 120;
const CARDS_PER_SECTION = 10;
const CITY_SECTIONS = 4;
const { listingCounts } = schema;

const titleCase = (city: string) => city.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** Newest stays, then the newest in each of the cities with the most published stays. */
async function loadHomeFeed() {
  const cities = await db()
    .select({ key: listingCounts.key })
    .from(listingCounts)
    .where(ne(listingCounts.key, ''))
    .orderBy(desc(listingCounts.published))
    .limit(CITY_SECTIONS);
  const [newest, ...perCity] = await db().batch([
    feedPageQuery({}, { limit: CARDS_PER_SECTION }),
    ...cities.map((c) => feedPageQuery({ city: c.key }, { limit: CARDS_PER_SECTION })),
  ]);
  return {
    sections: [
      { key: 'newest', title: 'New on the marketplace', listings: newest.map(toCard) },
      ...cities.map((c, i) => ({
        key: `city:${c.key}`,
        title: `Stays in ${titleCase(c.key)}`,
        listings: (perCity[i] ?? []).map(toCard),
      })),
    ].filter((s) => s.listings.length > 0),
  };
}

export const handler = route(getHomeFeed, async ({ event }) => {
  const feed = await cachedCatalogue('home', HOME_TTL_SECONDS, loadHomeFeed, {
    keep: () => 'outage',
    client: clientOf(event.requestContext.http.sourceIp),
  });
  return ok(feed.value, { 'Cache-Control': 'public, max-age=30', 'X-Cache': feed.cache });
});

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// Two sessions straight to Postgres, so the interleaving is certain: the first deletes a
// photo and holds its transaction open while the second deletes the other one.
const url = process.env.DATABASE_URL as string;
const first = new pg.Client({ connectionString: url });
const second = new pg.Client({ connectionString: url });
await first.connect();
await second.connect();
afterAll(async () => {
  await first.end();
  await second.end();
});

async function publishedWithTwoPhotos(): Promise<{ listing: string; photos: string[] }> {
  const {
    rows: [host],
  } = await first.query(`insert into hosts (email, name) values ($1, 'Ada') returning id`, [
    `ada-${Math.random().toString(36).slice(2)}@example.com`,
  ]);
  const {
    rows: [listing],
  } = await first.query(
    `insert into listings (host_id, title, city, price_per_night, max_guests)
     values ($1, 'Lekki loft', 'Lagos', 4500000, 2) returning id`,
    [host.id],
  );
  const { rows: photos } = await first.query(
    `insert into listing_photos (listing_id, s3_key, position)
     values ($1, $2, 0), ($1, $3, 1) returning id`,
    [listing.id, `listings/${listing.id}/a.jpg`, `listings/${listing.id}/b.jpg`],
  );
  await first.query(
    `update listings set status = 'published', published_at = now() where id = $1`,
    [listing.id],
  );
  return { listing: listing.id, photos: photos.map((p) => p.id) };
}

describe('the last photo of a published listing', () => {
  it('survives two deletes that overlap: the one that waited is refused', async () => {
    const { listing, photos } = await publishedWithTwoPhotos();
    await first.query('begin');
    await first.query('delete from listing_photos where id = $1', [photos[0]]);
    const racing = second.query('delete from listing_photos where id = $1', [photos[1]]).then(
      () => 'deleted',
      (e: { code?: string; constraint?: string }) => `${e.code} ${e.constraint}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    await first.query('commit');
    expect(await racing).toBe('23514 listings_published_photo');
    const { rows } = await first.query(
      'select status, cardinality(photo_keys) as n from listings where id = $1',
      [listing],
    );
    expect(rows[0]).toEqual({ status: 'published', n: 1 });
  });

  it('leaves photo_keys exact when two inserts overlap', async () => {
    const { listing } = await publishedWithTwoPhotos();
    await first.query('begin');
    await first.query(
      `insert into listing_photos (listing_id, s3_key, position) values ($1, $2, 2)`,
      [listing, `listings/${listing}/c.jpg`],
    );
    const racing = second.query(
      `insert into listing_photos (listing_id, s3_key, position) values ($1, $2, 3)`,
      [listing, `listings/${listing}/d.jpg`],
    );
    await new Promise((r) => setTimeout(r, 200));
    await first.query('commit');
    await racing;
    const { rows } = await first.query('select photo_keys from listings where id = $1', [listing]);
    expect(rows[0].photo_keys.map((k: string) => k.split('/').at(-1))).toEqual([
      'a.jpg',
      'b.jpg',
      'c.jpg',
      'd.jpg',
    ]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack();
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());
const host = await stack.signIn('host');
const guest = await stack.signIn('user');
const token = host.accessToken;

/** The Lagos date `days` from today. */
const inDays = (days: number) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Lagos' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
};

const settings = {
  title: 'Lekki studio',
  pricePerNight: 4_533_335,
  maxGuests: 2,
  cleaningFee: 1_500_000,
  minNights: 2,
  maxNights: 5,
};

async function listing(status: 'draft' | 'published') {
  if (status === 'published') return (await publishedListing(stack, token, settings)).id;
  const created = await stack.api('POST', '/listings', {
    token,
    body: { ...settings, city: 'Lagos' },
  });
  return created.body.id as string;
}

const quote = (id: string, q: string) => stack.api('GET', `/listings/public/${id}/quote?${q}`);

describe('a quote', () => {
  it('prices a stay from the listing, to the last kobo, and says the dates are free', async () => {
    const id = await listing('published');
    const checkIn = inDays(10);
    const checkOut = inDays(13);
    const res = await quote(id, `checkIn=${checkIn}&checkOut=${checkOut}&guests=2`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      listingId: id,
      checkIn,
      checkOut,
      nights: 3,
      guests: 2,
      currency: 'NGN',
      nightlyPrice: 4_533_335,
      subtotal: 13_600_005,
      cleaningFee: 1_500_000,
      serviceFee: 1_360_001,
      total: 16_460_006,
      hostFee: 408_000,
      hostPayout: 14_692_005,
      available: true,
    });
  });

  it('says the dates are taken when an active booking holds one of the nights', async () => {
    const id = await listing('published');
    await db()
      .insert(schema.bookings)
      .values({
        listingId: id,
        guestId: guest.principal.id,
        hostId: host.principal.id,
        checkIn: inDays(20),
        checkOut: inDays(22),
        guests: 1,
        status: 'confirmed',
        subtotal: 1,
        totalAmount: 1,
        hostPayout: 1,
      });
    const overlapping = await quote(id, `checkIn=${inDays(21)}&checkOut=${inDays(24)}`);
    expect(overlapping.status).toBe(200);
    expect(overlapping.body.available).toBe(false);
    // Check-out day is free for the next check-in: ranges are [checkIn, checkOut).
    const after = await quote(id, `checkIn=${inDays(22)}&checkOut=${inDays(24)}`);
    expect(after.body.available).toBe(true);
    // A host's block takes nights as a booking does.
    await db()
      .insert(schema.listingHolds)
      .values({ listingId: id, kind: 'block', startsOn: inDays(23), endsOn: inDays(25) });
    expect((await quote(id, `checkIn=${inDays(22)}&checkOut=${inDays(24)}`)).body.available).toBe(
      false,
    );
  });

  it('refuses dates, stays and parties the listing does not take, naming the field', async () => {
    const id = await listing('published');
    const cases: Array<[string, string]> = [
      [`checkIn=${inDays(-1)}&checkOut=${inDays(2)}`, 'query.checkIn'],
      [`checkIn=${inDays(5)}&checkOut=${inDays(5)}`, 'query.checkOut'],
      [`checkIn=${inDays(5)}&checkOut=${inDays(6)}`, 'query.checkOut'], // 1 night < 2
      [`checkIn=${inDays(5)}&checkOut=${inDays(11)}`, 'query.checkOut'], // 6 nights > 5
      [`checkIn=${inDays(5)}&checkOut=${inDays(8)}&guests=3`, 'query.guests'],
      [`checkIn=2027-02-30&checkOut=${inDays(8)}`, 'query.checkIn'],
      [`checkIn=${inDays(5)}`, 'query.checkOut'],
      [`checkIn=${inDays(5)}&checkOut=${inDays(8)}&price=1`, 'query'],
    ];
    for (const [q, field] of cases) {
      const res = await quote(id, q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path).join(' '), q).toContain(
        field,
      );
    }
    // Same-day check-in is allowed.
    expect((await quote(id, `checkIn=${inDays(0)}&checkOut=${inDays(2)}`)).status).toBe(200);
  });

  it('is a 404 for a draft or a listing that does not exist', async () => {
    const draft = await listing('draft');
    const dates = `checkIn=${inDays(5)}&checkOut=${inDays(8)}`;
    expect((await quote(draft, dates)).status).toBe(404);
    expect((await quote('5f0c1e2a-8b3d-4c6e-9f1a-2b3c4d5e6f70', dates)).status).toBe(404);
  });
});

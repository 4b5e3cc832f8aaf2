import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgCode, pgConstraint } from '#lib/db/errors';
import { db, schema } from '#lib/db/index';
import { transaction } from '#lib/db/transaction';

const { bookings, hosts, listingHolds, listings, messages, conversations, users } = schema;
let hostId: string;
let guestId: string;
let listingId: string;

beforeAll(async () => {
  const [host] = await db()
    .insert(hosts)
    .values({ phone: '+2348010000001', name: 'Ada' })
    .returning();
  const [guest] = await db().insert(users).values({ email: 'tunde@example.com' }).returning();
  const [listing] = await db()
    .insert(listings)
    .values({
      hostId: host!.id,
      title: 'Lekki loft',
      city: 'Lagos',
      pricePerNight: 4500000,
      maxGuests: 2,
    })
    .returning();
  hostId = host!.id;
  guestId = guest!.id;
  listingId = listing!.id;
});

const booking = (
  checkIn: string,
  checkOut: string,
  status: 'pending_payment' | 'confirmed' | 'cancelled' = 'confirmed',
) => ({
  listingId,
  guestId,
  hostId,
  checkIn,
  checkOut,
  guests: 1,
  status,
  subtotal: 9000000,
  totalAmount: 9000000,
  hostPayout: 9000000,
});

const block = (startsOn: string, endsOn: string) =>
  db().insert(listingHolds).values({ listingId, kind: 'block', startsOn, endsOn });

describe('the database enforces the rules', () => {
  it('lets exactly one of two concurrent overlapping bookings in', async () => {
    const attempts = await Promise.allSettled([
      db().insert(bookings).values(booking('2027-01-10', '2027-01-14')),
      db().insert(bookings).values(booking('2027-01-12', '2027-01-16')),
    ]);
    const fulfilled = attempts.filter((a) => a.status === 'fulfilled');
    const rejected = attempts.filter((a) => a.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(pgCode((rejected[0] as PromiseRejectedResult).reason)).toBe('23P01');
  });

  it('allows back-to-back stays and ignores cancelled bookings', async () => {
    await db().insert(bookings).values(booking('2027-02-01', '2027-02-05'));
    await db().insert(bookings).values(booking('2027-02-05', '2027-02-07'));
    await db()
      .insert(bookings)
      .values(booking('2027-03-01', '2027-03-05', 'cancelled'));
    await db().insert(bookings).values(booking('2027-03-02', '2027-03-04'));
  });

  it('keeps blocks and active bookings apart with one constraint, and frees an expired stay', async () => {
    await block('2027-05-10', '2027-05-12');
    const overBlock = await db()
      .insert(bookings)
      .values(booking('2027-05-11', '2027-05-13', 'pending_payment'))
      .catch((e: unknown) => e);
    expect(pgCode(overBlock)).toBe('23P01');
    expect(pgConstraint(overBlock)).toBe('listing_holds_no_overlap');

    const [held] = await db()
      .insert(bookings)
      .values(booking('2027-05-20', '2027-05-23', 'pending_payment'))
      .returning();
    expect(pgCode(await block('2027-05-22', '2027-05-24').catch((e: unknown) => e))).toBe('23P01');
    await db().update(bookings).set({ status: 'expired' }).where(eq(bookings.id, held!.id));
    await block('2027-05-22', '2027-05-24');
  });

  it("keeps each listing's copy of its held nights, and lets a listing with holds be deleted", async () => {
    const [draft] = await db()
      .insert(listings)
      .values({ hostId, title: 'Draft', city: 'Lagos', pricePerNight: 1000, maxGuests: 1 })
      .returning();
    const heldOf = async (id: string) =>
      (await db().select({ held: listings.held }).from(listings).where(eq(listings.id, id)))[0]
        ?.held;
    const hold = (startsOn: string, endsOn: string) =>
      db()
        .insert(listingHolds)
        .values({ listingId: draft!.id, kind: 'block', startsOn, endsOn })
        .returning();
    const [first] = await hold('2027-07-01', '2027-07-03');
    await hold('2027-07-03', '2027-07-05');
    await hold('2027-07-10', '2027-07-11');
    // Past holds are left out: a search never asks for them.
    await hold('2020-01-01', '2020-01-02');
    expect(await heldOf(draft!.id)).toBe('{[2027-07-01,2027-07-05),[2027-07-10,2027-07-11)}');
    await db().delete(listingHolds).where(eq(listingHolds.id, first!.id));
    expect(await heldOf(draft!.id)).toBe('{[2027-07-03,2027-07-05),[2027-07-10,2027-07-11)}');
    await db().delete(listings).where(eq(listings.id, draft!.id));
    expect(await heldOf(draft!.id)).toBeUndefined();
  });

  it('refuses a booking whose money does not add up', async () => {
    const error = await db()
      .insert(bookings)
      .values({ ...booking('2027-06-01', '2027-06-03'), serviceFee: 1 })
      .catch((e: unknown) => e);
    expect(pgCode(error)).toBe('23514');
  });

  it('refuses a stay that ends before it starts', async () => {
    const error = await db()
      .insert(bookings)
      .values(booking('2027-04-05', '2027-04-01'))
      .catch((e: unknown) => e);
    expect(pgCode(error)).toBe('23514');
  });

  it('keeps messages insert-only', async () => {
    const [conversation] = await db()
      .insert(conversations)
      .values({ userId: guestId, hostId, listingId })
      .returning();
    const [message] = await db()
      .insert(messages)
      .values({
        conversationId: conversation!.id,
        senderRole: 'user',
        senderId: guestId,
        body: 'Is it free?',
      })
      .returning();
    const error = await db()
      .update(messages)
      .set({ body: 'edited' })
      .where(eq(messages.id, message!.id))
      .catch((e: unknown) => e);
    expect(pgCode(error)).toBe('23001');
  });

  it('runs an interactive transaction over the WebSocket driver, and rolls it back on error', async () => {
    await expect(
      transaction(async (tx) => {
        await tx.update(listings).set({ title: 'Renamed' }).where(eq(listings.id, listingId));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const [row] = await db()
      .select({ title: listings.title })
      .from(listings)
      .where(eq(listings.id, listingId));
    expect(row?.title).toBe('Lekki loft');

    const count = await transaction(async (tx) => {
      await tx
        .update(listings)
        .set({ title: 'Lekki loft, sea view' })
        .where(eq(listings.id, listingId));
      const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(listings);
      return r?.n;
    });
    expect(count).toBe(1);
    const [after] = await db()
      .select({ title: listings.title })
      .from(listings)
      .where(eq(listings.id, listingId));
    expect(after?.title).toBe('Lekki loft, sea view');
  });

  it('runs a batch over HTTP atomically', async () => {
    const before = await db().select({ n: sql<number>`count(*)::int` }).from(users);
    await expect(
      db().batch([
        db().insert(users).values({ email: 'batch@example.com' }),
        db().insert(users).values({ email: 'batch@example.com' }),
      ]),
    ).rejects.toSatisfy((e: unknown) => pgCode(e) === '23505');
    const after = await db().select({ n: sql<number>`count(*)::int` }).from(users);
    expect(after).toEqual(before);
  });
});

describe('the feed card copies', () => {
  it('follow the host name and the photos, in position order', async () => {
    const { listingPhotos } = schema;
    const card = async () =>
      (
        await db()
          .select({ hostName: listings.hostName, photoKeys: listings.photoKeys })
          .from(listings)
          .where(eq(listings.id, listingId))
      )[0];
    expect(await card()).toEqual({ hostName: 'Ada', photoKeys: [] });

    await db()
      .insert(listingPhotos)
      .values([
        { listingId, s3Key: `listings/${listingId}/b.jpg`, position: 1 },
        { listingId, s3Key: `listings/${listingId}/a.jpg`, position: 0 },
      ]);
    await db().update(hosts).set({ name: 'Ada O.' }).where(eq(hosts.id, hostId));
    expect(await card()).toEqual({
      hostName: 'Ada O.',
      photoKeys: [`listings/${listingId}/a.jpg`, `listings/${listingId}/b.jpg`],
    });

    await db()
      .delete(listingPhotos)
      .where(eq(listingPhotos.s3Key, `listings/${listingId}/a.jpg`));
    expect((await card())?.photoKeys).toEqual([`listings/${listingId}/b.jpg`]);
  });
});

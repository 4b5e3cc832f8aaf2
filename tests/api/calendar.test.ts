import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack({}, { cache: 'live' });
afterAll(() => stack.close());

const host = await stack.signIn('host');
const otherHost = await stack.signIn('host');
const guest = await stack.signIn('user', 'femi@example.com');
const hostToken = host.accessToken;

const city = `Calabar-${Date.now()}`;

describe("a host's calendar", () => {
  it('blocks nights, refuses a block over a booking, shows both, and frees them again', async () => {
    const { id } = await publishedListing(stack, hostToken, { city });
    const booked = await book(stack, guest.accessToken, {
      listingId: id,
      checkIn: inDays(10),
      checkOut: inDays(13),
      guests: 2,
    });
    expect(booked.status).toBe(201);

    const block = await stack.api('POST', `/listings/${id}/blocks`, {
      token: hostToken,
      body: { from: inDays(13), to: inDays(15), note: 'Family visiting' },
    });
    expect(block.status).toBe(201);
    expect(block.body).toMatchObject({ from: inDays(13), to: inDays(15), note: 'Family visiting' });

    const over = await stack.api('POST', `/listings/${id}/blocks`, {
      token: hostToken,
      body: { from: inDays(12), to: inDays(14) },
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('dates_unavailable');
    // And a booking over the block is refused the same way, by the same constraint.
    const onBlock = await book(stack, guest.accessToken, {
      listingId: id,
      checkIn: inDays(14),
      checkOut: inDays(16),
    });
    expect(onBlock.status).toBe(409);

    const bad = await stack.api('POST', `/listings/${id}/blocks`, {
      token: hostToken,
      body: { from: inDays(5), to: inDays(5) },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.to');

    const calendar = await stack.api(
      'GET',
      `/listings/${id}/calendar?from=${inDays(0)}&to=${inDays(60)}`,
      { token: hostToken },
    );
    expect(calendar.status).toBe(200);
    expect(calendar.body.bookings).toEqual([
      {
        id: booked.body.id,
        status: 'pending_payment',
        checkIn: inDays(10),
        checkOut: inDays(13),
        guests: 2,
        guestName: null,
      },
    ]);
    expect(calendar.body.blocks.map((b: { id: string }) => b.id)).toEqual([block.body.id]);

    // Public: merged ranges, nothing about who or why.
    const open = await stack.api(
      'GET',
      `/listings/public/${id}/availability?from=${inDays(0)}&to=${inDays(60)}`,
    );
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ unavailable: [{ from: inDays(10), to: inDays(15) }] });
    const clipped = await stack.api(
      'GET',
      `/listings/public/${id}/availability?from=${inDays(11)}&to=${inDays(14)}`,
    );
    expect(clipped.body).toEqual({ unavailable: [{ from: inDays(11), to: inDays(14) }] });
    const tooLong = await stack.api(
      'GET',
      `/listings/public/${id}/availability?from=${inDays(0)}&to=${inDays(400)}`,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].path).toBe('query.to');

    // Another host can neither see nor touch it.
    expect(
      (await stack.api('GET', `/listings/${id}/calendar`, { token: otherHost.accessToken })).status,
    ).toBe(404);
    expect(
      (
        await stack.api('DELETE', `/listings/${id}/blocks/${block.body.id}`, {
          token: otherHost.accessToken,
        })
      ).status,
    ).toBe(404);

    const removed = await stack.api('DELETE', `/listings/${id}/blocks/${block.body.id}`, {
      token: hostToken,
    });
    expect(removed.status).toBe(204);
    const after = await stack.api(
      'GET',
      `/listings/public/${id}/availability?from=${inDays(0)}&to=${inDays(60)}`,
    );
    expect(after.body).toEqual({ unavailable: [{ from: inDays(10), to: inDays(13) }] });
  });
});

describe('date search', () => {
  it('leaves out a listing held for those nights, and one that does not take that many', async () => {
    const { id: free } = await publishedListing(stack, hostToken, { city, title: 'Free one' });
    const { id: taken } = await publishedListing(stack, hostToken, { city, title: 'Taken one' });
    const { id: short } = await publishedListing(stack, hostToken, {
      city,
      title: 'Short stays',
      maxNights: 2,
    });
    const stay = { checkIn: inDays(30), checkOut: inDays(33) };
    const q = `city=${city}&checkIn=${stay.checkIn}&checkOut=${stay.checkOut}`;

    const before = await stack.api('GET', `/listings/public?${q}`);
    expect(before.status).toBe(200);
    const ids = (r: typeof before) => r.body.listings.map((l: { id: string }) => l.id);
    expect(ids(before)).toEqual(expect.arrayContaining([free, taken]));
    expect(ids(before)).not.toContain(short);
    expect(before.body.total).toBeUndefined();

    expect(
      (
        await book(stack, guest.accessToken, {
          listingId: taken,
          checkIn: inDays(31),
          checkOut: inDays(35),
        })
      ).status,
    ).toBe(201);
    // A new search (other nights in the key) sees it at once; the same search may be up to
    // a minute old, and the booking itself is always decided by the database.
    const later = await stack.api('GET', `/listings/public?${q}&guests=1`);
    expect(ids(later)).toContain(free);
    expect(ids(later)).not.toContain(taken);
    // Check-out morning is free for the next guest.
    const after = await stack.api(
      'GET',
      `/listings/public?city=${city}&checkIn=${inDays(35)}&checkOut=${inDays(37)}`,
    );
    expect(ids(after)).toContain(taken);

    for (const [query, field] of [
      [`checkIn=${stay.checkIn}`, 'query.checkOut'],
      [`checkIn=${inDays(-2)}&checkOut=${inDays(1)}`, 'query.checkIn'],
      [`checkIn=${inDays(5)}&checkOut=${inDays(4)}`, 'query.checkOut'],
    ] as const) {
      const res = await stack.api('GET', `/listings/public?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].path, query).toBe(field);
    }
  });
});

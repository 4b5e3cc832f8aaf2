import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack();
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const guests = await Promise.all(
  Array.from({ length: 10 }, (_, i) => stack.signIn('user', `guest${i}@example.com`)),
);

describe('a burst of bookings for the same nights', () => {
  it('lets exactly one of ten guests in; the nine others get 409 dates_unavailable', async () => {
    const { id: listingId } = await publishedListing(stack, host.accessToken, {
      instantBook: true,
    });
    // Overlapping, not identical, stays: the constraint compares ranges, not equal dates.
    const answers = await Promise.all(
      guests.map((g, i) =>
        book(stack, g.accessToken, {
          listingId,
          checkIn: inDays(20 + (i % 3)),
          checkOut: inDays(24),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error.code).toBe('dates_unavailable');
    }
    const held = await db().select().from(schema.listingHolds);
    expect(held.filter((h) => h.listingId === listingId)).toHaveLength(1);
    // Only the winner was sent to checkout.
    const winner = answers.find((a) => a.status === 201);
    expect(stack.paystack.transactions().map((t) => t.reference)).toEqual([
      winner?.body.payment.reference,
    ]);
  });
});

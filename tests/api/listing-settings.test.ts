import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack();
afterAll(() => stack.close());
const host = await stack.signIn('host');
const token = host.accessToken;

const published = (body: Record<string, unknown> = {}) => publishedListing(stack, token, body);

describe('how a listing books', () => {
  it('defaults to request-to-book, moderate, no cleaning fee, 1 to 30 nights', async () => {
    const { created } = await published();
    expect(created).toMatchObject({
      instantBook: false,
      cancellationPolicy: 'moderate',
      cleaningFee: 0,
      minNights: 1,
      maxNights: 30,
    });
  });

  it('is set by its host and shown in the public detail', async () => {
    const { id } = await published();
    const changed = await stack.api('PATCH', `/listings/${id}`, {
      token,
      body: { instantBook: true, cancellationPolicy: 'firm', cleaningFee: 1_500_000, minNights: 2 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ instantBook: true, cancellationPolicy: 'firm' });
    const detail = await stack.api('GET', `/listings/public/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      instantBook: true,
      cancellationPolicy: 'firm',
      cleaningFee: 1_500_000,
      minNights: 2,
      maxNights: 30,
    });
  });

  it('refuses an unknown policy, a negative fee and nights out of order, naming the field', async () => {
    const { id } = await published({ minNights: 3, maxNights: 7 });
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ cancellationPolicy: 'strict' }, 'body.cancellationPolicy'],
      [{ cleaningFee: -1 }, 'body.cleaningFee'],
      [{ cleaningFee: 10.5 }, 'body.cleaningFee'],
      [{ minNights: 0 }, 'body.minNights'],
      [{ maxNights: 366 }, 'body.maxNights'],
      // Against the listing's own other bound (3 to 7).
      [{ minNights: 8 }, 'body.minNights'],
      [{ maxNights: 2 }, 'body.maxNights'],
      [{ minNights: 5, maxNights: 4 }, 'body.minNights'],
    ];
    for (const [body, field] of refusals) {
      const res = await stack.api('PATCH', `/listings/${id}`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(field);
    }
    const created = await stack.api('POST', '/listings', {
      token,
      body: {
        title: 'x',
        city: 'Abuja',
        pricePerNight: 1,
        maxGuests: 1,
        minNights: 9,
        maxNights: 3,
      },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details[0].path).toBe('body.minNights');
    // Nothing changed: the listing still books 3 to 7 nights.
    const detail = await stack.api('GET', `/listings/public/${id}`);
    expect(detail.body).toMatchObject({ minNights: 3, maxNights: 7, cleaningFee: 0 });
  });
});

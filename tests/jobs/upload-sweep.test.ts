import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack();
afterAll(() => stack.close());
const { config } = await import('#lib/platform/config');
const { headObject } = await import('#lib/platform/storage/objects');
const { sweepUnattachedUploads } = await import('../../functions/jobs/cleanup.ts');

const host = await stack.signIn('host');
const guest = await stack.signIn('user');

const listingId = (
  await stack.api('POST', '/listings', {
    token: host.accessToken,
    body: {
      title: 'Yaba loft',
      city: 'Lagos',
      pricePerNight: 2_500_000,
      maxGuests: 2,
    },
  })
).body.id as string;

/** One upload of each kind, as the apps make them; `attach` also points a row at each. */
async function uploads(attach: boolean) {
  const post = async (path: string, token: string, extra = {}) => {
    const presigned = await stack.api('POST', path, {
      token,
      body: {
        ...extra,
        contentType: 'image/jpeg',
        sizeBytes: JPEG.length,
      },
    });
    expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
    return presigned.body.key as string;
  };
  const photo = await post(`/listings/${listingId}/photos/upload-url`, host.accessToken);
  const avatar = await post('/me/avatar/upload-url', guest.accessToken);
  const document = await post('/host/identity-documents/upload-url', host.accessToken, {
    kind: 'passport',
  });
  if (attach) {
    const attached = [
      await stack.api('POST', `/listings/${listingId}/photos`, {
        token: host.accessToken,
        body: { key: photo },
      }),
      await stack.api('PATCH', '/me', { token: guest.accessToken, body: { avatarKey: avatar } }),
      await stack.api('POST', '/host/identity-documents', {
        token: host.accessToken,
        body: {
          kind: 'passport',
          key: document,
        },
      }),
    ];
    expect(attached.map((r) => r.status)).toEqual([201, 200, 201]);
  }
  return [
    [config.S3_PUBLIC_BUCKET, photo],
    [config.S3_PUBLIC_BUCKET, avatar],
    [config.S3_PRIVATE_BUCKET, document],
  ] as const;
}

const exists = async (objects: ReadonlyArray<readonly [string, string]>) =>
  Promise.all(objects.map(async ([bucket, key]) => (await headObject(bucket, key)) !== undefined));

// Uploaded before the cutoff ("old"): loose ones and attached ones; then fresh loose ones.
const attachedOld = await uploads(true);
const looseOld = await uploads(false);
await new Promise((r) => setTimeout(r, 20));
const cutoff = new Date();
await new Promise((r) => setTimeout(r, 20));
const looseFresh = await uploads(false);

describe('the sweep of unattached uploads', () => {
  it('leaves alone the owners of other shards', async () => {
    const other = '0123456789abcdef'.replace(listingId[0]!, '').replace(guest.principal.id[0]!, '');
    const shard = other.replace(host.principal.id[0]!, '')[0]!;
    const result = await sweepUnattachedUploads({ before: cutoff, shard });
    expect(result.deleted).toBe(0);
    expect(await exists(looseOld)).toEqual([true, true, true]);
  });

  it('deletes old loose photos, avatars and documents, keeps attached and fresh ones, and is idempotent', async () => {
    const first = await sweepUnattachedUploads({ before: cutoff });
    expect(first).toMatchObject({ deleted: 3, complete: true });
    expect(first.listed).toBeGreaterThanOrEqual(9);
    expect(await exists(looseOld)).toEqual([false, false, false]);
    expect(await exists(attachedOld)).toEqual([true, true, true]);
    expect(await exists(looseFresh)).toEqual([true, true, true]);
    // The attached photo is still what the listing shows.
    const listing = await stack.api('GET', `/listings/${listingId}`, { token: host.accessToken });
    expect(listing.body.photos).toHaveLength(1);
    expect((await fetch(listing.body.photos[0].url)).status).toBe(200);

    expect(await sweepUnattachedUploads({ before: cutoff })).toMatchObject({ deleted: 0 });
  });

  it('stops at its budget, after a page, and says it did not finish', async () => {
    expect(await sweepUnattachedUploads({ before: cutoff, budgetMs: -1 })).toMatchObject({
      complete: false,
    });
  });

  it('runs in the hourly cleanup job, through its route, where a day-old cutoff keeps fresh uploads', async () => {
    const url = `${stack.gateway.url}/jobs/cleanup`;
    const body = '{}';
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'upstash-signature': await stack.qstash.signWith('current', url, body),
        'upstash-message-id': `msg_${randomBytes(8).toString('hex')}`,
      },
      body,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { result: { unattachedUploads: unknown } };
    expect(answer.result.unattachedUploads).toMatchObject({
      shard: expect.stringMatching(/^[0-9a-f]$/),
      deleted: 0,
      complete: true,
    });
    expect(await exists(looseFresh)).toEqual([true, true, true]);
    expect(await exists(attachedOld)).toEqual([true, true, true]);
  });
});

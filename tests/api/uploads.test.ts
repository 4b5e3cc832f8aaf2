import { afterAll, describe, expect, it } from 'vitest';
import { seedImage } from '#local/seed/images';
import { startLocalStack } from '#tests/support/stack';
import { JPEG, upload } from '#tests/support/uploads';

const stack = await startLocalStack();
afterAll(() => stack.close());
const { config } = await import('#lib/platform/config');
const { headObject } = await import('#lib/platform/storage/objects');

const host = await stack.signIn('host');
const guest = await stack.signIn('user');

/** A page that runs script if a browser ever takes it for HTML. */
const HTML = Buffer.from('<!doctype html><script>fetch("/steal?c="+document.cookie)</script>');
const PNG = seedImage('listings/uploads-test/a.png');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const cdn = (key: string) => fetch(`${config.CDN_BASE_URL}/${key}`);

/** Asks for an upload URL and posts `file` to it as `type`, as a phone would. */
async function uploaded(path: string, token: string, file: Buffer, type: string, extra = {}) {
  const presigned = await stack.api('POST', path, {
    token,
    body: {
      ...extra,
      contentType: type,
      sizeBytes: file.length,
    },
  });
  expect(presigned.status).toBe(201);
  expect((await upload(presigned.body, file, type)).status).toBe(204);
  return presigned.body.key as string;
}

const listingId = (
  await stack.api('POST', '/listings', {
    token: host.accessToken,
    body: {
      title: 'Lekki studio',
      city: 'Lagos',
      pricePerNight: 3_000_000,
      maxGuests: 2,
    },
  })
).body.id as string;
const photoUpload = (file: Buffer, type: string) =>
  uploaded(`/listings/${listingId}/photos/upload-url`, host.accessToken, file, type);

describe('a listing photo', () => {
  it('that is HTML posted as image/jpeg is refused on attach, deleted, and no longer served', async () => {
    const key = await photoUpload(HTML, 'image/jpeg');
    // S3 took it, since the policy fixes only the declared type; even so the CDN says nosniff.
    const before = await cdn(key);
    expect(before.headers.get('content-type')).toBe('image/jpeg');
    expect(before.headers.get('x-content-type-options')).toBe('nosniff');

    const attached = await stack.api('POST', `/listings/${listingId}/photos`, {
      token: host.accessToken,
      body: { key },
    });
    expect(attached.status).toBe(400);
    expect(attached.body.error.code).toBe('upload_invalid');
    expect(attached.body.error.message).toMatch(/found HTML or XML, declared image\/jpeg/);
    expect(attached.body.error.details).toEqual([
      { path: 'body.key', message: 'found HTML or XML, declared image/jpeg' },
    ]);

    const after = await cdn(key);
    expect(after.status).toBe(404);
    expect(after.headers.get('x-content-type-options')).toBe('nosniff');
    const listing = await stack.api('GET', `/listings/${listingId}`, { token: host.accessToken });
    expect(listing.body.photos).toEqual([]);
  });

  it('that is a PNG declared image/jpeg is refused too: the bytes must be the declared type', async () => {
    const key = await photoUpload(PNG, 'image/jpeg');
    const attached = await stack.api('POST', `/listings/${listingId}/photos`, {
      token: host.accessToken,
      body: { key },
    });
    expect(attached.status).toBe(400);
    expect(attached.body.error.message).toMatch(/found a PNG image, declared image\/jpeg/);
    expect(await headObject(config.S3_PUBLIC_BUCKET, key)).toBeUndefined();
  });

  it('that is a real JPEG or PNG attaches, and the CDN serves it with its type and nosniff', async () => {
    for (const [file, type] of [
      [JPEG, 'image/jpeg'],
      [PNG, 'image/png'],
    ] as const) {
      const key = await photoUpload(file, type);
      const attached = await stack.api('POST', `/listings/${listingId}/photos`, {
        token: host.accessToken,
        body: {
          key,
        },
      });
      expect(attached.status).toBe(201);
      const served = await fetch(attached.body.url);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await served.arrayBuffer())).toEqual(file);
    }
  });
});

describe('an avatar', () => {
  it('that is HTML posted as image/jpeg is refused, deleted and never set; a real JPEG is set', async () => {
    const bad = await uploaded('/me/avatar/upload-url', guest.accessToken, HTML, 'image/jpeg');
    const refused = await stack.api('PATCH', '/me', {
      token: guest.accessToken,
      body: { avatarKey: bad },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('upload_invalid');
    expect(refused.body.error.details).toEqual([
      { path: 'body.avatarKey', message: 'found HTML or XML, declared image/jpeg' },
    ]);
    expect((await cdn(bad)).status).toBe(404);
    expect((await stack.api('GET', '/me', { token: guest.accessToken })).body.avatarUrl).toBeNull();

    const good = await uploaded('/me/avatar/upload-url', guest.accessToken, JPEG, 'image/jpeg');
    const set = await stack.api('PATCH', '/me', {
      token: guest.accessToken,
      body: { avatarKey: good },
    });
    expect(set.status).toBe(200);
    expect(set.body.avatarUrl).toBe(`${config.CDN_BASE_URL}/${good}`);
  });
});

describe('an identity document', () => {
  const path = '/host/identity-documents/upload-url';
  const submit = (key: string) =>
    stack.api('POST', '/host/identity-documents', {
      token: host.accessToken,
      body: { kind: 'passport', key },
    });

  it('that is HTML posted as application/pdf is refused and deleted; a real PDF is submitted', async () => {
    const bad = await uploaded(path, host.accessToken, HTML, 'application/pdf', {
      kind: 'passport',
    });
    const refused = await submit(bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('upload_invalid');
    expect(refused.body.error.message).toMatch(/found HTML or XML, declared application\/pdf/);
    expect(await headObject(config.S3_PRIVATE_BUCKET, bad)).toBeUndefined();

    const good = await uploaded(path, host.accessToken, PDF, 'application/pdf', {
      kind: 'passport',
    });
    const submitted = await submit(good);
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('pending');
  });

  it('that is a JPEG declared application/pdf is refused', async () => {
    const key = await uploaded(path, host.accessToken, JPEG, 'application/pdf', {
      kind: 'national_id',
    });
    const refused = await submit(key);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/found a JPEG image, declared application\/pdf/);
  });
});

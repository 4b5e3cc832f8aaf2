import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startS3 } from '#local/emulators/s3/index';

const CREDENTIALS = { accessKeyId: 'TESTACCESSKEY', secretAccessKey: 'test-secret-key' };
const PHOTOS = 'listing-photos';
const DOCUMENTS = 'identity-documents';
const MB = 1024 * 1024;

let server: LocalS3;
let s3: S3Client;

const clientWith = (credentials: typeof CREDENTIALS) =>
  new S3Client({
    endpoint: server.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });

/** Bytes a text decoder would mangle: every byte value, then noise. */
function binary(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i < 256 ? i : (i * 7919 + 13) % 256;
  return bytes;
}

/** A few bytes that start like a JPEG; the server never looks inside. */
const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...binary(2048), 0xff, 0xd9]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startS3({
    credentials: CREDENTIALS,
    buckets: [DOCUMENTS],
    publicBuckets: [PHOTOS],
  });
  s3 = clientWith(CREDENTIALS);
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

describe('SDK calls signed in the Authorization header', () => {
  it('round-trips binary bytes through put, head, get and delete', async () => {
    const body = binary(300_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: PHOTOS,
        Key: 'listings/1/a photo+ü.png',
        Body: body,
        ContentType: 'image/png',
        Metadata: { owner: 'host-1' },
      }),
    );
    const md5 = `"${createHash('md5').update(body).digest('hex')}"`;
    expect(put.ETag).toBe(md5);

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: PHOTOS, Key: 'listings/1/a photo+ü.png' }),
    );
    expect(head).toMatchObject({
      ContentLength: body.length,
      ContentType: 'image/png',
      ETag: md5,
      Metadata: { owner: 'host-1' },
    });
    expect(head.LastModified).toBeInstanceOf(Date);

    const got = await s3.send(
      new GetObjectCommand({ Bucket: PHOTOS, Key: 'listings/1/a photo+ü.png' }),
    );
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(body))).toBe(
      true,
    );

    await s3.send(new DeleteObjectCommand({ Bucket: PHOTOS, Key: 'listings/1/a photo+ü.png' }));
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: PHOTOS, Key: 'listings/1/a photo+ü.png' })),
    ).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('answers NotFound to HEAD and NoSuchKey to GET of a missing key, NoSuchBucket for a missing bucket', async () => {
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: PHOTOS, Key: 'missing.jpg' })),
    ).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    await expect(
      s3.send(new GetObjectCommand({ Bucket: PHOTOS, Key: 'missing.jpg' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'a.jpg' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('decodes a streamed upload sent aws-chunked with a CRC32 trailer', async () => {
    const parts = [binary(70_000), binary(5), binary(100_000)];
    const whole = Buffer.concat(parts);
    await s3.send(
      new PutObjectCommand({
        Bucket: DOCUMENTS,
        Key: 'streamed.bin',
        Body: Readable.from(parts.map((p) => Buffer.from(p))),
        ContentLength: whole.length,
      }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: DOCUMENTS, Key: 'streamed.bin', ChecksumMode: 'ENABLED' }),
    );
    const expectedCrc = Buffer.alloc(4);
    expectedCrc.writeUInt32BE(crc32(whole));
    expect(got.ChecksumCRC32).toBe(expectedCrc.toString('base64'));
    expect(got.ContentLength).toBe(whole.length);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
  });

  it.each(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)(
    'verifies and returns a %s checksum computed by the SDK',
    async (algorithm) => {
      const body = binary(50_000);
      await s3.send(
        new PutObjectCommand({
          Bucket: DOCUMENTS,
          Key: `checksum-${algorithm}`,
          Body: body,
          ChecksumAlgorithm: algorithm,
        }),
      );
      const got = await s3.send(
        new GetObjectCommand({
          Bucket: DOCUMENTS,
          Key: `checksum-${algorithm}`,
          ChecksumMode: 'ENABLED',
        }),
      );
      expect(got[`Checksum${algorithm}`]).toBeTruthy();
      expect((await got.Body!.transformToByteArray()).length).toBe(body.length);
    },
  );

  it('refuses a body that does not match its checksum with BadDigest', async () => {
    await expect(
      s3.send(
        new PutObjectCommand({
          Bucket: DOCUMENTS,
          Key: 'corrupt.bin',
          Body: 'hello',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: DOCUMENTS, Key: 'corrupt.bin' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a wrong secret, an unknown access key and an unsigned request', async () => {
    const wrongSecret = clientWith({ ...CREDENTIALS, secretAccessKey: 'not-the-secret' });
    const unknownKey = clientWith({ ...CREDENTIALS, accessKeyId: 'SOMEONEELSE' });
    try {
      await expect(
        wrongSecret.send(new PutObjectCommand({ Bucket: DOCUMENTS, Key: 'x', Body: 'x' })),
      ).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        unknownKey.send(new GetObjectCommand({ Bucket: DOCUMENTS, Key: 'streamed.bin' })),
      ).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
    const anonymous = await fetch(`${server.endpoint}/${DOCUMENTS}/streamed.bin`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('lists with a prefix, a delimiter and continuation, and deletes in bulk', async () => {
    const keys = ['list/a.jpg', 'list/b.jpg', 'list/sub/c.jpg', 'list/sub/d.jpg', 'list/z.jpg'];
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: PHOTOS, Key: key, Body: key }));
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: PHOTOS,
          Prefix: 'list/',
          Delimiter: '/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(seen.sort()).toEqual(['list/a.jpg', 'list/b.jpg', 'list/sub/', 'list/z.jpg']);

    const deleted = await s3.send(
      new DeleteObjectsCommand({
        Bucket: PHOTOS,
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(keys);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: PHOTOS, Prefix: 'list/' }));
    expect(after.KeyCount).toBe(0);
  });
});

describe('presigned POST upload', () => {
  const photoPolicy = (key: string, expires = 300) =>
    createPresignedPost(s3, {
      Bucket: PHOTOS,
      Key: key,
      Conditions: [
        ['content-length-range', 0, 10 * MB],
        ['starts-with', '$Content-Type', 'image/'],
      ],
      Expires: expires,
    });

  /** Posts the form the way a browser does: the presigned fields, Content-Type, then the file. */
  async function upload(
    post: PresignedPost,
    file: Uint8Array,
    overrides: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const form = new FormData();
    const fields: Record<string, string> = {
      ...post.fields,
      'Content-Type': 'image/jpeg',
      ...overrides,
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([file as Uint8Array<ArrayBuffer>]), 'photo.jpg');
    const response = await fetch(post.url, { method: 'POST', body: form });
    return { status: response.status, body: await response.text() };
  }

  const head = (key: string) => s3.send(new HeadObjectCommand({ Bucket: PHOTOS, Key: key }));

  it('stores a photo within the policy and answers 204', async () => {
    const post = await photoPolicy('listings/2/photo.jpg');
    const file = jpeg();
    const result = await upload(post, file);
    expect(result.status).toBe(204);
    expect(await head('listings/2/photo.jpg')).toMatchObject({
      ContentType: 'image/jpeg',
      ContentLength: file.length,
      ETag: `"${createHash('md5').update(file).digest('hex')}"`,
    });
  });

  it('refuses an 11 MB file with EntityTooLarge', async () => {
    const post = await photoPolicy('listings/2/huge.jpg');
    const result = await upload(post, new Uint8Array(11 * MB));
    expect(result.status).toBe(400);
    expect(result.body).toContain('<Code>EntityTooLarge</Code>');
    await expect(head('listings/2/huge.jpg')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a Content-Type outside the policy', async () => {
    const post = await photoPolicy('listings/2/page.html');
    const result = await upload(post, jpeg(), { 'Content-Type': 'text/html' });
    expect(result.status).toBe(403);
    expect(result.body).toContain('<Code>AccessDenied</Code>');
    expect(result.body).toContain('Invalid according to Policy');
    await expect(head('listings/2/page.html')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a key other than the signed one', async () => {
    const post = await photoPolicy('listings/2/mine.jpg');
    const result = await upload(post, jpeg(), { key: 'listings/3/theirs.jpg' });
    expect(result.status).toBe(403);
    expect(result.body).toContain('Invalid according to Policy');
    await expect(head('listings/3/theirs.jpg')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a policy rewritten after signing', async () => {
    const post = await photoPolicy('listings/2/bigger.jpg');
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString('utf8'));
    policy.conditions[0] = ['content-length-range', 0, 100 * MB];
    const forged = Buffer.from(JSON.stringify(policy)).toString('base64');
    const result = await upload(post, jpeg(), { Policy: forged });
    expect(result.status).toBe(403);
    expect(result.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an expired policy', async () => {
    const post = await photoPolicy('listings/2/late.jpg', -1);
    const result = await upload(post, jpeg());
    expect(result.status).toBe(403);
    expect(result.body).toContain('Policy expired');
    await expect(head('listings/2/late.jpg')).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a form field the policy does not mention', async () => {
    const post = await photoPolicy('listings/2/extra.jpg');
    const result = await upload(post, jpeg(), { 'x-amz-meta-owner': 'someone' });
    expect(result.status).toBe(403);
    expect(result.body).toContain('Extra input fields: x-amz-meta-owner');
  });
});

describe('presigned GET and PUT URLs', () => {
  const document = binary(4096);

  beforeAll(async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: DOCUMENTS,
        Key: 'hosts/7/passport.pdf',
        Body: document,
        ContentType: 'application/pdf',
      }),
    );
  });

  const signedGet = (key: string, expiresIn: number) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: DOCUMENTS, Key: key }), { expiresIn });

  it('serves a private document only through a valid presigned URL', async () => {
    const url = await signedGet('hosts/7/passport.pdf', 300);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(document))).toBe(true);

    const unsigned = await fetch(url.split('?')[0]!);
    expect(unsigned.status).toBe(403);
  });

  it('refuses a presigned URL pointed at another key', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: DOCUMENTS, Key: 'hosts/8/passport.pdf', Body: 'x' }),
    );
    const url = await signedGet('hosts/7/passport.pdf', 300);
    const response = await fetch(url.replace('hosts/7/', 'hosts/8/'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a presigned URL with a longer X-Amz-Expires than signed', async () => {
    const url = await signedGet('hosts/7/passport.pdf', 60);
    const response = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604800'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a presigned URL once it has expired', async () => {
    const url = await signedGet('hosts/7/passport.pdf', 1);
    await sleep(1500);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');
  });

  it('accepts an upload through a presigned PUT URL', async () => {
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: DOCUMENTS, Key: 'hosts/9/licence.png' }),
      { expiresIn: 300 },
    );
    const file = binary(10_000);
    const response = await fetch(url, {
      method: 'PUT',
      body: file,
      headers: { 'content-type': 'image/png' },
    });
    expect(response.status).toBe(200);
    expect(
      await s3.send(new HeadObjectCommand({ Bucket: DOCUMENTS, Key: 'hosts/9/licence.png' })),
    ).toMatchObject({ ContentType: 'image/png', ContentLength: file.length });
  });
});

describe('CDN', () => {
  it('serves a public photo without a signature, with its type and a cache lifetime', async () => {
    const file = jpeg();
    await s3.send(
      new PutObjectCommand({
        Bucket: PHOTOS,
        Key: 'listings/4/cover.jpg',
        Body: file,
        ContentType: 'image/jpeg',
      }),
    );
    const response = await fetch(`${server.cdnUrl(PHOTOS)}/listings/4/cover.jpg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(file))).toBe(true);

    const revalidated = await fetch(`${server.cdnUrl(PHOTOS)}/listings/4/cover.jpg`, {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);
  });

  it('does not serve private documents', async () => {
    expect(() => server.cdnUrl(DOCUMENTS)).toThrow(/not public/);
    const response = await fetch(`${server.endpoint}/_cdn/${DOCUMENTS}/hosts/7/passport.pdf`);
    expect(response.status).toBe(403);
  });
});

describe('with a dataDir', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-s3-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const startOnDisk = () =>
    startS3({
      credentials: CREDENTIALS,
      buckets: [DOCUMENTS],
      publicBuckets: [PHOTOS],
      dataDir: dir,
    });

  const clientOf = (stand: LocalS3) =>
    new S3Client({
      endpoint: stand.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });

  /** Everything a client can see of some objects: HEAD, GET with its checksum, list and CDN. */
  async function observe(stand: LocalS3, client: S3Client, objects: [string, string][]) {
    const seen = [];
    for (const [bucket, key] of objects) {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const got = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
      const body = createHash('sha256')
        .update(await got.Body!.transformToByteArray())
        .digest('hex');
      const { $metadata: _, ...headFields } = head;
      seen.push({ bucket, key, head: headFields, checksum: got.ChecksumCRC32 ?? null, body });
    }
    const listed = [];
    for (const bucket of new Set(objects.map(([bucket]) => bucket))) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      listed.push(page.Contents);
    }
    const cdn = [];
    for (const [, key] of objects.filter(([bucket]) => bucket === PHOTOS)) {
      const response = await fetch(`${stand.cdnUrl(PHOTOS)}/${key}`);
      cdn.push({
        status: response.status,
        headers: ['content-type', 'content-length', 'etag', 'last-modified', 'cache-control'].map(
          (name) => response.headers.get(name),
        ),
        body: createHash('sha256')
          .update(Buffer.from(await response.arrayBuffer()))
          .digest('hex'),
      });
    }
    return { seen, listed, cdn };
  }

  it('serves what the SDK and a presigned POST stored, identically, after a restart', async () => {
    const first = await startOnDisk();
    const client = clientOf(first);
    const objects: [string, string][] = [
      [PHOTOS, 'listings/5/a photo+ü.png'],
      [PHOTOS, 'listings/5/posted.jpg'],
      [PHOTOS, 'listings/5'],
      [DOCUMENTS, 'hosts/5/passport.pdf'],
    ];
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: PHOTOS,
          Key: 'listings/5/a photo+ü.png',
          Body: binary(1000),
          ContentType: 'image/png',
        }),
      );
      // Overwritten: the second version is the one that must come back.
      await client.send(
        new PutObjectCommand({
          Bucket: PHOTOS,
          Key: 'listings/5/a photo+ü.png',
          Body: binary(40_000),
          ContentType: 'image/png',
          CacheControl: 'public, max-age=60',
          Metadata: { owner: 'host-5' },
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      // A key that is also the prefix of others, which a key-as-path layout could not hold.
      await client.send(new PutObjectCommand({ Bucket: PHOTOS, Key: 'listings/5', Body: 'x' }));
      await client.send(
        new PutObjectCommand({
          Bucket: DOCUMENTS,
          Key: 'hosts/5/passport.pdf',
          Body: binary(5000),
          ContentType: 'application/pdf',
          ContentDisposition: 'attachment; filename="passport.pdf"',
        }),
      );
      const post = await createPresignedPost(client, {
        Bucket: PHOTOS,
        Key: 'listings/5/posted.jpg',
        Conditions: [['starts-with', '$Content-Type', 'image/']],
        Fields: { 'Content-Type': 'image/jpeg' },
      });
      const form = new FormData();
      for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
      form.append('file', new Blob([jpeg() as Uint8Array<ArrayBuffer>]), 'photo.jpg');
      expect((await fetch(post.url, { method: 'POST', body: form })).status).toBe(204);

      const before = await observe(first, client, objects);
      expect(before.seen[0]?.head).toMatchObject({
        ContentLength: 40_000,
        CacheControl: 'public, max-age=60',
        Metadata: { owner: 'host-5' },
      });
      expect(before.seen[1]?.head).toMatchObject({ ContentType: 'image/jpeg' });
      client.destroy();
      await first.close();

      const second = await startOnDisk();
      const again = clientOf(second);
      try {
        expect(await observe(second, again, objects)).toEqual(before);
      } finally {
        again.destroy();
        await second.close();
      }
    } finally {
      client.destroy();
      await first.close().catch(() => {});
    }
  });

  it('keeps a deleted object deleted after a restart, and a bucket made by CreateBucket', async () => {
    const first = await startOnDisk();
    const client = clientOf(first);
    try {
      await client.send(new CreateBucketCommand({ Bucket: 'made-later' }));
      for (const key of ['gone/one.jpg', 'gone/two.jpg', 'gone/kept.jpg']) {
        await client.send(new PutObjectCommand({ Bucket: PHOTOS, Key: key, Body: key }));
      }
      await client.send(new PutObjectCommand({ Bucket: 'made-later', Key: 'k', Body: 'v' }));
      await client.send(new DeleteObjectCommand({ Bucket: PHOTOS, Key: 'gone/one.jpg' }));
      await client.send(
        new DeleteObjectsCommand({
          Bucket: PHOTOS,
          Delete: { Objects: [{ Key: 'gone/two.jpg' }] },
        }),
      );
    } finally {
      client.destroy();
      await first.close();
    }

    const second = await startOnDisk();
    const again = clientOf(second);
    try {
      const listed = await again.send(
        new ListObjectsV2Command({ Bucket: PHOTOS, Prefix: 'gone/' }),
      );
      expect(listed.Contents?.map((c) => c.Key)).toEqual(['gone/kept.jpg']);
      await expect(
        again.send(new GetObjectCommand({ Bucket: PHOTOS, Key: 'gone/one.jpg' })),
      ).rejects.toMatchObject({ name: 'NoSuchKey' });
      expect((await fetch(`${second.cdnUrl(PHOTOS)}/gone/two.jpg`)).status).toBe(404);
      const kept = await again.send(new GetObjectCommand({ Bucket: 'made-later', Key: 'k' }));
      expect(await kept.Body!.transformToString()).toBe('v');
    } finally {
      again.destroy();
      await second.close();
    }
  });

  it('leaves no temporary files behind', async () => {
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startS3 } from '#local/emulators/s3/index';
import { seed, uploadSeedPhotos } from '#local/seed/demo';

const BUCKET = 'marketplace-public';
const url = process.env.DATABASE_URL as string;

let server: LocalS3;
let db: pg.Client;

beforeAll(async () => {
  server = await startS3({ publicBuckets: [BUCKET] });
  db = new pg.Client({ connectionString: url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

const upload = () => uploadSeedPhotos(url, { endpoint: server.endpoint, bucket: BUCKET });

async function photoRows(): Promise<{ listingId: string; key: string }[]> {
  const { rows } = await db.query<{ listingId: string; key: string }>(
    'select listing_id as "listingId", s3_key as key from listing_photos order by s3_key',
  );
  return rows;
}

/**
 * Reads a PNG the way a decoder must: signature, every chunk's CRC, IHDR, then the inflated
 * IDAT, whose length and filter bytes have to fit the declared size.
 */
function decodePng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let at = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const typed = bytes.subarray(at + 4, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(typed));
    chunks.push({ type: typed.toString('latin1', 0, 4), data: typed.subarray(4) });
    at += 12 + length;
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([header[8], header[9]]).toEqual([8, 2]);
  const pixels = inflateSync(
    Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)),
  );
  expect(pixels.length).toBe(height * (1 + width * 3));
  for (let y = 0; y < height; y++) expect(pixels[y * (1 + width * 3)]).toBeLessThanOrEqual(4);
  return { width, height };
}

describe('seeded listing photos', () => {
  it('are served by the CDN as PNGs of a few KB, a different picture for every photo', async () => {
    expect(await seed(url)).toBe(true);
    const rows = await photoRows();
    expect(rows.length).toBeGreaterThan(0);
    expect((await upload()).sort()).toEqual(rows.map((r) => r.key).sort());

    const digests = new Map<string, string>();
    for (const { key } of rows) {
      const response = await fetch(`${server.cdnUrl(BUCKET)}/${key}`);
      expect(response.status, key).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1024);
      expect(bytes.length).toBeLessThan(16 * 1024);
      expect(decodePng(bytes)).toEqual({ width: 480, height: 320 });
      digests.set(key, createHash('sha256').update(bytes).digest('hex'));
    }
    expect(new Set(digests.values()).size).toBe(rows.length);
  });

  it('are put back when missing, and only then', async () => {
    const [first] = await photoRows();
    const cdn = `${server.cdnUrl(BUCKET)}/${first!.key}`;
    const before = Buffer.from(await (await fetch(cdn)).arrayBuffer());
    expect(await upload()).toEqual([]);

    const s3 = new S3Client({
      endpoint: server.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: LOCAL_S3_CREDENTIALS,
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: first!.key }));
    s3.destroy();
    expect((await fetch(cdn)).status).toBe(404);

    expect(await upload()).toEqual([first!.key]);
    const after = Buffer.from(await (await fetch(cdn)).arrayBuffer());
    expect(after.equals(before)).toBe(true);
  });

  it('are made for a database seeded when the photo keys ended in .jpg', async () => {
    const [row] = await photoRows();
    const oldKey = row!.key.replace(/\.png$/, '.jpg');
    await db.query('update listing_photos set s3_key = $1 where s3_key = $2', [oldKey, row!.key]);
    expect(await upload()).toEqual([oldKey]);
    const response = await fetch(`${server.cdnUrl(BUCKET)}/${oldKey}`);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(decodePng(Buffer.from(await response.arrayBuffer()))).toEqual({
      width: 480,
      height: 320,
    });
  });

  it('leave photos the host uploaded alone', async () => {
    const [row] = await photoRows();
    await db.query(`insert into listing_photos (listing_id, s3_key, position) values ($1, $2, 9)`, [
      row!.listingId,
      `listings/${row!.listingId}/0b7e7a9c-2f7d-4d55-9a1e-3c1f4e2b8d11.jpg`,
    ]);
    expect(await upload()).toEqual([]);
  });
});

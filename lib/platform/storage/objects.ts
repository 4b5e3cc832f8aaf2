import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { badRequest } from '#lib/http/errors';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';
import type { DOCUMENT_TYPES } from '#lib/platform/storage/types';

let s3: S3Client | undefined;

/**
 * The S3 client, made on first use. Presigning lives in storage-upload.ts and
 * storage-download.ts, so a function bundles only the part of the SDK it uses.
 */
export function s3Client(): S3Client {
  s3 ??= new S3Client({
    region: config.AWS_REGION,
    maxAttempts: 2,
    // Presigned URLs carry no checksum of a body they have not seen.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
  });
  return s3;
}

/** The object's size and type, or undefined when it was never uploaded. */
export async function headObject(bucket: string, key: string) {
  try {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? '' };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** Deletes every object under a prefix (1000 a round trip); returns how many. */
export async function deletePrefix(bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3Client().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) {
      await s3Client().send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      deleted += keys.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}

/** Lists a prefix a page (1000 keys, S3's most) at a time, with each object's upload time. */
export async function* listPages(
  bucket: string,
  prefix: string,
): AsyncGenerator<Array<{ key: string; lastModified: Date }>> {
  let token: string | undefined;
  do {
    const page = await s3Client().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    yield (page.Contents ?? []).flatMap((o) =>
      o.Key && o.LastModified ? [{ key: o.Key, lastModified: o.LastModified }] : [],
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Deletes these keys, 1000 (S3's most) a round trip. */
export async function deleteKeys(bucket: string, keys: readonly string[]): Promise<void> {
  for (let at = 0; at < keys.length; at += 1000) {
    const batch = keys.slice(at, at + 1000).map((Key) => ({ Key }));
    await s3Client().send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
    );
  }
}

/** Enough bytes for every signature below (WebP's is the longest: 12). */
const SNIFF_BYTES = 16;

/** What the first bytes of a file say it is, for the types uploads may have. */
export function sniffType(head: Uint8Array): keyof typeof DOCUMENT_TYPES | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  if (b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const TYPE_NAMES: Record<keyof typeof DOCUMENT_TYPES, string> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/webp': 'a WebP image',
  'application/pdf': 'a PDF',
};

/** Words for what a file's first bytes are, to tell its uploader (never the bytes themselves). */
function describe(head: Buffer, size: number): string {
  const sniffed = sniffType(head);
  if (sniffed) return TYPE_NAMES[sniffed];
  if (size === 0) return 'an empty file';
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF/, '');
  if (text.trimStart().startsWith('<')) return 'HTML or XML';
  if (/^[\t\n\r\x20-\x7e]+$/.test(text)) return 'text';
  return 'an unrecognised format';
}

export type UploadCheck =
  | { ok: true; contentType: string; size: number }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'invalid'; found: string };

/**
 * Checks an uploaded object before anything points at it: it exists, its declared type is one
 * of `types` and its size at most `maxBytes`, and its first bytes (one ranged GET, which also
 * answers what a HEAD would) are that type. The presigned policy fixes only the declared
 * type, so an HTML page posted as image/jpeg gets this far; an object that fails is deleted,
 * so that it is never served.
 */
export async function checkUpload(
  bucket: string,
  key: string,
  types: Record<string, string>,
  maxBytes: number,
): Promise<UploadCheck> {
  let head: Buffer;
  let size: number;
  let contentType: string;
  try {
    const object = await s3Client().send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${SNIFF_BYTES - 1}` }),
    );
    head = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    size = Number(/\/(\d+)$/.exec(object.ContentRange ?? '')?.[1] ?? object.ContentLength ?? 0);
    contentType = object.ContentType ?? '';
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return { ok: false, reason: 'missing' };
    // A range past the end of an empty object.
    if (status !== 416) throw error;
    const object = await headObject(bucket, key);
    if (!object) return { ok: false, reason: 'missing' };
    ({ size, contentType } = object);
    head = Buffer.alloc(0);
  }
  const sniffed = sniffType(head);
  if (contentType in types && size <= maxBytes && sniffed === contentType) {
    return { ok: true, contentType, size };
  }
  const found =
    size > maxBytes
      ? `${Math.ceil(size / 1024 / 1024)} MB`
      : `${describe(head, size)}, declared ${contentType || 'without a type'}`;
  await deleteObject(bucket, key).catch((error: unknown) => {
    // Nothing points at it: the cleanup job's sweep of unattached uploads gets it later.
    logger.warn('refused upload not deleted', { key, reason: String(error) });
  });
  return { ok: false, reason: 'invalid', found };
}

export interface Attach {
  bucket: string;
  key: string;
  /** The owner's own prefix; a key elsewhere is refused. */
  prefix: string;
  types: Record<string, string>;
  maxBytes: number;
  /** The body field that carries the key, as errors name it. */
  field: string;
  /** What to say of a key outside the prefix. */
  notOwn: string;
  /** What the upload must be, e.g. "The upload is not a JPEG, PNG or WebP image of at most 10 MB". */
  mustBe: string;
  /** A hint for a key nothing was uploaded under. */
  missingHint?: string;
}

/**
 * The check every attach route makes before a row points at an upload: the key is under
 * the owner's prefix, and `checkUpload` passes. Anything else is a 400 naming the field.
 */
export async function requireUpload(a: Attach): Promise<void> {
  if (!a.key.startsWith(a.prefix) || a.key.includes('..')) {
    throw badRequest('validation_failed', a.notOwn, [
      { path: a.field, message: `must start with ${a.prefix}` },
    ]);
  }
  const upload = await checkUpload(a.bucket, a.key, a.types, a.maxBytes);
  if (!upload.ok && upload.reason === 'missing') {
    throw badRequest(
      'upload_missing',
      'Nothing was uploaded under that key.',
      a.missingHint ? [{ path: a.field, message: a.missingHint }] : undefined,
    );
  }
  if (!upload.ok) {
    throw badRequest('upload_invalid', `${a.mustBe} (found ${upload.found}); it was deleted.`, [
      { path: a.field, message: `found ${upload.found}` },
    ]);
  }
}

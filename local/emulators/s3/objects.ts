/** Objects: GET and HEAD (for the SDK and for the CDN path), PUT, and multi-object delete. */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import {
  accessDenied,
  noSuchKey,
  notImplemented,
  preconditionFailed,
  S3Error,
} from '#local/emulators/s3/errors';
import { MAX_KEYS } from '#local/emulators/s3/listing';
import { readObjectBody } from '#local/emulators/s3/payload';
import { header, type RequestLine } from '#local/emulators/s3/request';
import type { Authenticated } from '#local/emulators/s3/sigv4';
import type { Bucket, S3Context, StoredObject } from '#local/emulators/s3/store';
import { el, sendXml, xmlDocument, xmlUnescape } from '#local/emulators/s3/xml';

const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const CDN_CACHE_CONTROL = 'public, max-age=86400';

/** Headers of an object that S3 stores at upload and returns on GET and HEAD. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

/** Response headers a signed GET may override with `response-<header>` query parameters. */
const RESPONSE_OVERRIDES = new Set([
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
]);

const etagOf = (data: Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

/** GET and HEAD of an object, for the SDK and for the CDN path. */
function serveObject(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  object: StoredObject,
  extra: { headers: Record<string, string>; withChecksum: boolean },
): void {
  const headers: Record<string, string | number> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    ...object.headers,
    ...extra.headers,
  };
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined && !etagListMatches(ifMatch, object.etag)) {
    throw preconditionFailed('If-Match');
  }
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, object.etag)) {
    res.writeHead(304, { etag: object.etag, 'last-modified': object.lastModified.toUTCString() });
    res.end();
    return;
  }
  const size = object.data.length;
  const range = parseRange(header(req, 'range'), size);
  if (range === 'unsatisfiable') {
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: header(req, 'range') ?? '',
      ActualObjectSize: String(size),
    });
  }
  let body = object.data;
  let status = 200;
  if (range) {
    body = object.data.subarray(range.start, range.end + 1);
    status = 206;
    headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  } else if (extra.withChecksum && object.checksum) {
    headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function serveCdn(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  bucket: string,
  key: string,
) {
  // As the distribution's response headers policy does, on errors too: a browser renders
  // an object as its declared type, never as what its bytes look like.
  res.setHeader('x-content-type-options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new S3Error(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
    );
  }
  if (!s3.publicBuckets.has(bucket)) throw accessDenied();
  const object = s3.store.object(bucket, key);
  serveObject(req, res, object, {
    headers: {
      'cache-control': object.headers['cache-control'] ?? CDN_CACHE_CONTROL,
      'access-control-allow-origin': '*',
    },
    withChecksum: false,
  });
}

/** GetObject and HeadObject, with the `response-*` header overrides of a signed URL. */
export function getObject(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  line: RequestLine,
  bucketName: string,
  key: string,
): void {
  const object = s3.store.object(bucketName, key);
  const overrides: Record<string, string> = {};
  for (const [name, value] of line.query) {
    const overridden = name.slice('response-'.length);
    if (name.startsWith('response-') && RESPONSE_OVERRIDES.has(overridden)) {
      overrides[overridden] = value;
    }
  }
  serveObject(req, res, object, {
    headers: { ...object.metadata, ...overrides },
    withChecksum: header(req, 'x-amz-checksum-mode') === 'ENABLED',
  });
}

/** Stores an upload with the headers S3 keeps from `source` (request headers or form fields). */
export function storeObject(
  s3: S3Context,
  bucket: Bucket,
  bucketName: string,
  key: string,
  data: Buffer,
  source: Map<string, string>,
  checksum: StoredObject['checksum'],
): Promise<StoredObject> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = source.get(name);
    if (value !== undefined) headers[name] = value;
  }
  // aws-chunked is transport framing, not how the object is encoded.
  const encoding = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(',');
  if (encoding) headers['content-encoding'] = encoding;
  else delete headers['content-encoding'];
  const metadata: Record<string, string> = {};
  for (const [name, value] of source) if (name.startsWith('x-amz-meta-')) metadata[name] = value;
  const object: StoredObject = {
    data,
    etag: etagOf(data),
    lastModified: new Date(),
    contentType: source.get('content-type') || DEFAULT_CONTENT_TYPE,
    headers,
    metadata,
    ...(checksum ? { checksum } : {}),
  };
  return s3.store.put(bucket, bucketName, key, object);
}

export async function putObject(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  auth: Authenticated,
  bucketName: string,
  key: string,
): Promise<void> {
  const bucket = s3.store.bucket(bucketName);
  if (header(req, 'x-amz-copy-source') !== undefined) throw notImplemented();
  // Conditional writes, which the app may use to refuse overwriting an upload.
  const existing = bucket.objects.get(key);
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined && !existing) throw noSuchKey(key);
  if (existing && header(req, 'if-none-match') === '*') {
    throw preconditionFailed('If-None-Match');
  }
  if (existing && ifMatch !== undefined && !etagListMatches(ifMatch, existing.etag)) {
    throw preconditionFailed('If-Match');
  }
  const { data, checksum } = await readObjectBody(req, auth);
  const source = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') source.set(name, value);
  }
  const object = await storeObject(s3, bucket, bucketName, key, data, source, checksum);
  const headers: Record<string, string> = { etag: object.etag };
  if (checksum) {
    headers[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  res.writeHead(200, headers);
  res.end();
}

export async function deleteObjects(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  auth: Authenticated,
  bucketName: string,
): Promise<void> {
  const bucket = s3.store.bucket(bucketName);
  const hasChecksum =
    header(req, 'content-md5') !== undefined ||
    Object.keys(req.headers).some((name) => /^x-amz-checksum-(?!mode|type)/.test(name)) ||
    header(req, 'x-amz-trailer') !== undefined;
  if (!hasChecksum) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 or x-amz-checksum-*',
    );
  }
  const { data } = await readObjectBody(req, auth);
  const text = data.toString('utf8');
  const keys = [...text.matchAll(/<Object>\s*<Key>([\s\S]*?)<\/Key>[\s\S]*?<\/Object>/g)].map((m) =>
    xmlUnescape(m[1] ?? ''),
  );
  if (!/<Delete[\s>]/.test(text) || keys.length === 0 || keys.length > MAX_KEYS) {
    throw new S3Error(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text);
  for (const key of keys) await s3.store.remove(bucket, bucketName, key);
  const deleted = quiet ? '' : keys.map((key) => `<Deleted>${el('Key', key)}</Deleted>`).join('');
  sendXml(res, 200, xmlDocument('DeleteResult', deleted));
}

function etagListMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag || `"${tag}"` === etag);
}

/** A single `bytes=` range; several ranges or nonsense are ignored, as S3 does. */
function parseRange(
  text: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = text && /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

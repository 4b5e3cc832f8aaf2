/**
 * A local stand-in for S3, for `npm run dev` and the tests. It speaks the path-style REST API the
 * real `S3Client` (`forcePathStyle: true`), `getSignedUrl` and `createPresignedPost` use, and
 * checks what S3 checks: SigV4 on every request (Authorization header or presigned query),
 * presigned URL expiry, and every condition of a presigned POST policy, so an upload that S3
 * would refuse is refused here too. Objects live in memory; given a `dataDir`, they are also
 * written there before a request is answered and loaded back by the next `startS3` over it.
 *
 * `/_cdn/<bucket>/<key>` plays CloudFront in front of the buckets named in `publicBuckets`: no
 * signature, the object's Content-Type, a Cache-Control header, `X-Content-Type-Options:
 * nosniff` (the distribution's response headers policy). Any other bucket is private.
 *
 * CORS is wide open (real buckets need a CORS rule for the app's origin before a browser may
 * POST to them). Not emulated: multipart uploads, copy, versions, ACLs, tagging, bucket
 * configuration; they answer 501 NotImplemented rather than pretending. The signatures of
 * signed aws-chunked payloads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) are not checked chunk by
 * chunk; the JS SDK never sends those (it sends `STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Options {
  /** 0 or absent: any free port. */
  port?: number;
  /** The only key pair the server accepts; defaults to `LOCAL_S3_CREDENTIALS`. */
  credentials?: S3Credentials;
  /** Buckets that exist from the start (CreateBucket adds more). */
  buckets?: string[];
  /** Buckets served without a signature under `/_cdn/<bucket>/`; they are created too. */
  publicBuckets?: string[];
  /** One line per request (method, path, status, error code). */
  log?: (line: string) => void;
  /** Keeps buckets and objects in this directory across restarts; absent: memory only. */
  dataDir?: string;
}

export interface LocalS3 {
  /** `http://127.0.0.1:PORT`, for `new S3Client({ endpoint, forcePathStyle: true })`. */
  endpoint: string;
  port: number;
  /** Base URL serving a public bucket's objects without signature; throws for a private one. */
  cdnUrl(bucket: string): string;
  close(): Promise<void>;
}

export const LOCAL_S3_CREDENTIALS: S3Credentials = {
  accessKeyId: 'LOCALS3ACCESSKEY',
  secretAccessKey: 'local-s3-secret-access-key',
};

/** Objects are held in memory: a ceiling well above any photo or document the app accepts. */
const MAX_OBJECT_BYTES = 100 * 1024 * 1024;
/** S3 refuses POST forms whose fields before `file` exceed 20 KB. */
const MAX_POST_PRE_DATA_BYTES = 20 * 1024;
/** Closing boundary and ignored trailing fields, allowed on top of a policy's maximum size. */
const POST_OVERHEAD_BYTES = 64 * 1024;
/** Past this, the rest of a refused request body is not read but the connection dropped. */
const MAX_DISCARDED_BYTES = 256 * 1024 * 1024;
const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 3600;
const MAX_KEYS = 1000;
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const CDN_CACHE_CONTROL = 'public, max-age=86400';
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OWNER_ID = 'local-s3-owner';

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

/** Query parameters this server understands; any other one names a feature it lacks. */
const KNOWN_QUERY = new Set([
  'x-id',
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'delete',
  'x-amz-checksum-mode',
  'x-amz-sdk-checksum-algorithm',
]);

interface StoredObject {
  data: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: string; value: string };
}

interface Bucket {
  created: Date;
  objects: Map<string, StoredObject>;
}

class S3Error extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;
  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const accessDenied = (message = 'Access Denied', details?: Record<string, string>) =>
  new S3Error(403, 'AccessDenied', message, details);
const policyFailed = (reason: string) => accessDenied(`Invalid according to Policy: ${reason}`);
const invalidPolicy = (reason: string) =>
  new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${reason}`);
const entityTooLarge = (proposed: number, max: number) =>
  new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: String(proposed),
    MaxSizeAllowed: String(max),
  });
const malformedPost = () =>
  new S3Error(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
const preconditionFailed = (condition: string) =>
  new S3Error(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: condition,
    },
  );
const notImplemented = () =>
  new S3Error(
    501,
    'NotImplemented',
    'A header or query you provided implies functionality that is not implemented.',
  );

const xmlEscape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

const xmlUnescape = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? '';
    const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return String.fromCodePoint(code);
  });

const el = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`;

const xmlDocument = (root: string, inner: string, namespaced = true) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${namespaced ? ` xmlns="${XMLNS}"` : ''}>${inner}</${root}>`;

/** The percent-encoding SigV4 canonicalizes query strings with (RFC 3986 unreserved kept). */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

function sameHex(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `20260101T000000Z` to epoch milliseconds, or NaN. */
function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
}

const CRC32C_TABLE = crcTable32(0x82f63b78);

function crcTable32(reversedPoly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reversedPoly : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}

function crc32c(data: Buffer): number {
  const table = CRC32C_TABLE;
  let c = 0xffffffff;
  // An indexed loop over int32 values: Buffer iteration and `>>> 0` per byte are ten times slower.
  for (let n = 0; n < data.length; n++) {
    c = (table[(c ^ (data[n] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-64/NVME tables split in 32-bit halves: BigInt per byte would be far too slow. */
const CRC64_TABLES = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let h = 0;
    let l = i;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        h = (h ^ 0x9a6c9329) >>> 0;
        l = (l ^ 0xac4bc9b5) >>> 0;
      }
    }
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
})();

function crc64nvme(data: Buffer): Buffer {
  const { hi, lo } = CRC64_TABLES;
  let h = 0xffffffff;
  let l = 0xffffffff;
  for (let n = 0; n < data.length; n++) {
    const i = (l ^ (data[n] as number)) & 0xff;
    l = ((l >>> 8) | (h << 24)) ^ (lo[i] as number);
    h = (h >>> 8) ^ (hi[i] as number);
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((h ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((l ^ 0xffffffff) >>> 0, 4);
  return out;
}

const u32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
};

/** Base64 checksums by the name S3 gives them in `x-amz-checksum-<name>`. */
const CHECKSUMS: Record<string, (data: Buffer) => string> = {
  crc32: (data) => u32(crc32(data)).toString('base64'),
  crc32c: (data) => u32(crc32c(data)).toString('base64'),
  crc64nvme: (data) => crc64nvme(data).toString('base64'),
  sha1: (data) => createHash('sha1').update(data).digest('base64'),
  sha256: (data) => createHash('sha256').update(data).digest('base64'),
};

/** Raw query pairs, decoded; `+` stays a plus, as SigV4 clients encode a space as %20. */
function parseQuery(raw: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([decode(name), decode(value)]);
  }
  return pairs;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** Header values as SigV4 canonicalizes them: repeated headers joined, whitespace folded. */
function canonicalHeaderValues(req: http.IncomingMessage): Map<string, string> {
  const values = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = (req.rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' ');
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return new Map([...values].map(([name, list]) => [name, list.join(',')]));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(text: string, malformed: () => S3Error): Credential {
  const [accessKeyId, date, region, service, terminator, ...rest] = text.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    throw malformed();
  }
  if (rest.length > 0) throw malformed();
  return { accessKeyId, date, region, service };
}

interface Authenticated {
  /** The payload hash the request was signed with (`x-amz-content-sha256` or its query form). */
  payloadHash: string;
  presigned: boolean;
}

interface RequestLine {
  method: string;
  rawPath: string;
  query: [string, string][];
}

function verifySigV4(
  req: http.IncomingMessage,
  line: RequestLine,
  credentials: S3Credentials,
  sig: {
    credential: Credential;
    amzDate: string;
    signedHeaders: string[];
    signature: string;
    payloadHash: string;
    presigned: boolean;
  },
): void {
  if (sig.credential.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: sig.credential.accessKeyId },
    );
  }
  const headers = canonicalHeaderValues(req);
  const signed = new Set(sig.signedHeaders);
  if (!signed.has('host')) {
    throw accessDenied('The host header must be signed.');
  }
  const unsigned = [...headers.keys()].filter(
    (name) => name.startsWith('x-amz-') && !signed.has(name),
  );
  if (unsigned.length > 0) {
    throw accessDenied('There were headers present in the request which were not signed', {
      HeadersNotSigned: unsigned.join(', '),
    });
  }
  const canonicalQuery = line.query
    .filter(([name]) => !(sig.presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    line.method,
    line.rawPath || '/',
    canonicalQuery,
    sig.signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join(''),
    sig.signedHeaders.join(';'),
    sig.payloadHash,
  ].join('\n');
  const { date, region, service } = sig.credential;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', sig.amzDate, scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const key = signingKey(credentials.secretAccessKey, date, region, service);
  const expected = hmac(key, stringToSign).toString('hex');
  if (!sameHex(expected, sig.signature)) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: sig.credential.accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: sig.signature,
        CanonicalRequest: canonicalRequest,
      },
    );
  }
}

function authenticate(
  req: http.IncomingMessage,
  line: RequestLine,
  credentials: S3Credentials,
): Authenticated {
  const q = new Map(line.query);
  if (q.has('X-Amz-Algorithm')) return authenticatePresigned(req, line, q, credentials);
  const authorization = header(req, 'authorization');
  if (!authorization) throw accessDenied();
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization);
  if (!m) {
    throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type', {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization.split(' ')[0] ?? '',
    });
  }
  const parts = new Map(
    (m[1] ?? '').split(',').map((part) => {
      const [name, ...value] = part.trim().split('=');
      return [name ?? '', value.join('=')] as const;
    }),
  );
  const malformed = () =>
    new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const credentialText = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credentialText || !signedHeaders || !signature) throw malformed();
  const credential = parseCredential(credentialText, malformed);
  const amzDate = header(req, 'x-amz-date') ?? '';
  const at = parseAmzDate(amzDate);
  if (Number.isNaN(at)) {
    throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  }
  if (amzDate.slice(0, 8) !== credential.date) throw malformed();
  if (Math.abs(Date.now() - at) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      { RequestTime: amzDate, ServerTime: new Date().toISOString() },
    );
  }
  const payloadHash = header(req, 'x-amz-content-sha256');
  if (!payloadHash) {
    throw new S3Error(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  }
  verifySigV4(req, line, credentials, {
    credential,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash,
    presigned: false,
  });
  return { payloadHash, presigned: false };
}

function authenticatePresigned(
  req: http.IncomingMessage,
  line: RequestLine,
  q: Map<string, string>,
  credentials: S3Credentials,
): Authenticated {
  const malformed = (message: string) =>
    new S3Error(400, 'AuthorizationQueryParametersError', message);
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    throw malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credentialText = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  const expiresText = q.get('X-Amz-Expires');
  const signedHeaders = q.get('X-Amz-SignedHeaders');
  const signature = q.get('X-Amz-Signature');
  if (!credentialText || !amzDate || !expiresText || !signedHeaders || !signature) {
    throw malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const credential = parseCredential(credentialText, () =>
    malformed('Error parsing the X-Amz-Credential parameter.'),
  );
  const at = parseAmzDate(amzDate);
  if (Number.isNaN(at) || amzDate.slice(0, 8) !== credential.date) {
    throw malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText) || expires < 1 || expires > MAX_PRESIGNED_EXPIRES_S) {
    throw malformed('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  const payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  verifySigV4(req, line, credentials, {
    credential,
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    payloadHash,
    presigned: true,
  });
  const now = Date.now();
  if (now > at + expires * 1000) {
    throw accessDenied('Request has expired', {
      'X-Amz-Expires': expiresText,
      Expires: new Date(at + expires * 1000).toISOString(),
      ServerTime: new Date(now).toISOString(),
    });
  }
  if (at - now > MAX_CLOCK_SKEW_MS) throw accessDenied('Request is not valid yet');
  return { payloadHash, presigned: true };
}

/** Reads a whole request body, refusing it past `limit` bytes without buffering more. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) throw entityTooLarge(size, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Lets a client finish sending a body we have already answered, so it reads our error instead
 * of a reset connection; a body far too large gets its connection dropped instead.
 */
function discardRest(req: http.IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** An `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n`. */
function decodeAwsChunked(raw: Buffer): { data: Buffer; trailers: Map<string, string> } {
  const incomplete = () =>
    new S3Error(400, 'IncompleteBody', 'The request body is not valid aws-chunked encoding.');
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    if (eol === -1) throw incomplete();
    const sizeText = raw.toString('latin1', pos, eol).split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-f]+$/i.test(sizeText)) throw incomplete();
    const size = Number.parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (
      pos + size + 2 > raw.length ||
      raw.toString('latin1', pos + size, pos + size + 2) !== '\r\n'
    ) {
      throw incomplete();
    }
    chunks.push(raw.subarray(pos, pos + size));
    pos += size + 2;
  }
  const trailers = new Map<string, string>();
  while (pos < raw.length) {
    let eol = raw.indexOf('\r\n', pos);
    if (eol === -1) eol = raw.length;
    const text = raw.toString('latin1', pos, eol);
    pos = eol + 2;
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon === -1) throw incomplete();
    trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  }
  return { data: Buffer.concat(chunks), trailers };
}

/** The checksum a request carries (header or aws-chunked trailer), verified against the data. */
function verifyChecksums(
  req: http.IncomingMessage,
  data: Buffer,
  trailers: Map<string, string>,
): StoredObject['checksum'] {
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) {
      throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
    }
    if (createHash('md5').update(data).digest('base64') !== md5) {
      throw new S3Error(
        400,
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    }
  }
  const provided = new Map<string, string>();
  const collect = (name: string, value: string) => {
    const m = /^x-amz-checksum-(.+)$/.exec(name);
    if (!m?.[1] || m[1] === 'mode' || m[1] === 'type' || m[1] === 'algorithm') return;
    provided.set(m[1], value);
  };
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') collect(name, value);
  }
  for (const [name, value] of trailers) collect(name, value);
  let checksum: StoredObject['checksum'];
  for (const [algorithm, value] of provided) {
    const compute = CHECKSUMS[algorithm];
    if (!compute) {
      throw new S3Error(
        400,
        'InvalidRequest',
        `Checksum algorithm ${algorithm} is not supported by the local S3.`,
      );
    }
    if (compute(data) !== value) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
    checksum = { algorithm, value };
  }
  return checksum;
}

/**
 * Reads a PUT body the way S3 does: plain or aws-chunked (flexible checksums in a trailer),
 * checked against `x-amz-content-sha256`, `Content-MD5` and any `x-amz-checksum-*`.
 */
async function readObjectBody(
  req: http.IncomingMessage,
  auth: Authenticated,
): Promise<{ data: Buffer; checksum: StoredObject['checksum'] }> {
  const hash = auth.payloadHash;
  const chunked = hash.startsWith('STREAMING-');
  const hex = /^[0-9a-f]{64}$/.test(hash);
  if (!chunked && !hex && hash !== 'UNSIGNED-PAYLOAD') {
    throw new S3Error(
      400,
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.',
    );
  }
  const lengthHeader = header(req, chunked ? 'x-amz-decoded-content-length' : 'content-length');
  if (lengthHeader === undefined && (chunked || header(req, 'transfer-encoding') === undefined)) {
    throw new S3Error(
      411,
      'MissingContentLength',
      'You must provide the Content-Length HTTP header.',
    );
  }
  const declared = Number(lengthHeader ?? 0);
  if (declared > MAX_OBJECT_BYTES) throw entityTooLarge(declared, MAX_OBJECT_BYTES);
  // aws-chunked framing costs a few bytes per chunk; tiny chunks can double the size on the wire.
  const raw = await readBody(req, chunked ? 2 * MAX_OBJECT_BYTES + 65_536 : MAX_OBJECT_BYTES);
  let data = raw;
  let trailers = new Map<string, string>();
  if (chunked) {
    ({ data, trailers } = decodeAwsChunked(raw));
    if (data.length !== declared) {
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header.',
      );
    }
    const expected = (header(req, 'x-amz-trailer') ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const missing = expected.filter((name) => !trailers.has(name));
    if (missing.length > 0) {
      throw new S3Error(400, 'MalformedTrailerError', `Missing trailer: ${missing.join(', ')}`);
    }
  } else if (hex && sha256Hex(data) !== hash) {
    throw new S3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: hash, S3ComputedContentSHA256: sha256Hex(data) },
    );
  }
  return { data, checksum: verifyChecksums(req, data, trailers) };
}

interface PostForm {
  fields: Map<string, string>;
  filename: string;
  data: Buffer;
}

interface SizeRange {
  min: number;
  max: number;
}

/**
 * Streams a multipart/form-data POST: fields are collected up to the `file` part, then
 * `beforeFile` checks signature and policy and returns the allowed size, so a refused upload is
 * refused before its file is read and an oversized one as soon as it passes the limit. Like S3,
 * fields after the file are ignored.
 */
async function readPostForm(
  req: http.IncomingMessage,
  boundary: string,
  beforeFile: (fields: Map<string, string>, filename: string, bytesBefore: number) => SizeRange,
): Promise<PostForm> {
  const iterator = req.iterator({ destroyOnReturn: false });
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');
  let buffer: Buffer = Buffer.alloc(0);
  let consumed = 0;

  const pull = async (): Promise<boolean> => {
    const next = await iterator.next();
    if (next.done) return false;
    const chunk = next.value as Buffer;
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    return true;
  };
  const drop = (n: number) => {
    buffer = buffer.subarray(n);
    consumed += n;
  };
  const find = async (needle: Buffer): Promise<number> => {
    for (;;) {
      const at = buffer.indexOf(needle);
      if (at !== -1) return at;
      if (consumed + buffer.length > MAX_POST_PRE_DATA_BYTES) {
        throw new S3Error(
          400,
          'MaxPostPreDataLengthExceeded',
          'Your POST request fields preceding the upload file were too large.',
        );
      }
      if (!(await pull())) throw malformedPost();
    }
  };

  try {
    drop((await find(dashBoundary)) + dashBoundary.length);
    const fields = new Map<string, string>();
    for (;;) {
      while (buffer.length < 2) if (!(await pull())) throw malformedPost();
      if (buffer.toString('latin1', 0, 2) === '--') break;
      if (buffer.toString('latin1', 0, 2) !== '\r\n') throw malformedPost();
      drop(2);
      const end = await find(headerEnd);
      const disposition = buffer
        .toString('utf8', 0, end)
        .split('\r\n')
        .find((line) => /^content-disposition:/i.test(line));
      drop(end + headerEnd.length);
      const name = disposition && /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
      if (!name) throw malformedPost();
      if (name.toLowerCase() === 'file') {
        const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? '';
        const range = beforeFile(fields, filename, consumed);
        const parts: Buffer[] = [];
        let size = 0;
        const take = (part: Buffer) => {
          size += part.length;
          if (size > range.max) throw entityTooLarge(size, range.max);
          parts.push(part);
        };
        for (;;) {
          const at = buffer.indexOf(delimiter);
          if (at !== -1) {
            take(buffer.subarray(0, at));
            break;
          }
          const safe = buffer.length - (delimiter.length - 1);
          if (safe > 0) {
            take(buffer.subarray(0, safe));
            drop(safe);
          }
          if (!(await pull())) throw malformedPost();
        }
        if (size < range.min) {
          throw new S3Error(
            400,
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed size',
            { ProposedSize: String(size), MinSizeAllowed: String(range.min) },
          );
        }
        return { fields, filename, data: Buffer.concat(parts, size) };
      }
      const end2 = await find(delimiter);
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, buffer.toString('utf8', 0, end2));
      drop(end2 + delimiter.length);
    }
    throw new S3Error(
      400,
      'InvalidArgument',
      'POST requires exactly one file upload per request.',
      {
        ArgumentName: 'file',
      },
    );
  } finally {
    // Detaches the iterator's listeners without destroying the request, so the rest can drain.
    await iterator.return?.();
  }
}

type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number; text: string };

function parsePolicy(policyBase64: string): { expiration: number; conditions: Condition[] } {
  let policy: unknown;
  try {
    policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof policy !== 'object' || policy === null) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = policy as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== 'string') throw invalidPolicy('Policy missing expiration.');
  const expires = Date.parse(expiration);
  if (Number.isNaN(expires)) throw invalidPolicy("Invalid 'expiration' value.");
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy missing conditions.');
  return { expiration: expires, conditions: conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): Condition {
  const text = JSON.stringify(raw);
  if (Array.isArray(raw)) {
    const [op, a, b] = raw as unknown[];
    if (op === 'content-length-range' && raw.length === 3) {
      const min = Number(a);
      const max = Number(b);
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
        throw invalidPolicy(`Invalid content-length-range condition: ${text}`);
      }
      return { kind: 'content-length-range', min, max, text };
    }
    if (
      (op === 'eq' || op === 'starts-with') &&
      raw.length === 3 &&
      typeof a === 'string' &&
      a.startsWith('$') &&
      typeof b === 'string'
    ) {
      return { kind: op, field: a.slice(1).toLowerCase(), value: b, text };
    }
    throw invalidPolicy(`Invalid condition: ${text}`);
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length === 1 && entry && typeof entry[1] === 'string') {
      return { kind: 'eq', field: entry[0].toLowerCase(), value: entry[1], text };
    }
  }
  throw invalidPolicy(`Invalid condition: ${text}`);
}

/** Fields a POST policy need not mention. */
const POLICY_EXEMPT_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);

/** Checks a presigned POST form against its signature and every condition of its policy. */
function checkPostPolicy(
  fields: Map<string, string>,
  bucket: string,
  credentials: S3Credentials,
): SizeRange {
  if (!fields.has('key')) {
    throw new S3Error(
      400,
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      { ArgumentName: 'key' },
    );
  }
  const policyText = fields.get('policy');
  if (!policyText) throw accessDenied('Anonymous POST uploads are not allowed.');
  const algorithm = fields.get('x-amz-algorithm');
  const credentialText = fields.get('x-amz-credential');
  const amzDate = fields.get('x-amz-date');
  const signature = fields.get('x-amz-signature');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !credentialText || !amzDate || !signature) {
    throw new S3Error(
      400,
      'InvalidArgument',
      'POST requires the fields x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date and x-amz-signature.',
    );
  }
  const credential = parseCredential(
    credentialText,
    () => new S3Error(400, 'InvalidArgument', 'Error parsing the X-Amz-Credential field.'),
  );
  if (credential.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: credential.accessKeyId },
    );
  }
  const key = signingKey(
    credentials.secretAccessKey,
    credential.date,
    credential.region,
    credential.service,
  );
  if (!sameHex(hmac(key, policyText).toString('hex'), signature)) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: credential.accessKeyId, StringToSign: policyText },
    );
  }
  const policy = parsePolicy(policyText);
  if (Date.now() > policy.expiration) throw policyFailed('Policy expired.');
  const range: SizeRange = { min: 0, max: MAX_OBJECT_BYTES };
  const covered = new Set<string>();
  const fieldValue = (field: string) => (field === 'bucket' ? bucket : fields.get(field));
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      range.min = Math.max(range.min, condition.min);
      range.max = Math.min(range.max, condition.max);
      continue;
    }
    covered.add(condition.field);
    const value = fieldValue(condition.field);
    const ok =
      condition.kind === 'eq'
        ? value === condition.value
        : (value ?? '').startsWith(condition.value);
    if (!ok) throw policyFailed(`Policy Condition failed: ${condition.text}`);
  }
  const formBucket = fields.get('bucket');
  if (formBucket !== undefined && formBucket !== bucket) {
    throw policyFailed('Policy Condition failed: ["eq", "$bucket", ...]');
  }
  const extra = [...fields.keys()].filter(
    (name) =>
      !POLICY_EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && !covered.has(name),
  );
  if (extra.length > 0) throw policyFailed(`Extra input fields: ${extra.join(', ')}`);
  return range;
}

const etagOf = (data: Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

const VALID_BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An object as its `.json` file records it on disk. */
interface ObjectRecord {
  key: string;
  etag: string;
  size: number;
  lastModified: string;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: string; value: string };
}

/**
 * Buckets and objects kept under `dataDir`, so that uploads outlive the process:
 *
 *   <dataDir>/<bucket>/bucket.json                          {"created": ISO date}
 *   <dataDir>/<bucket>/objects/<sha256(key)>.json           the key and its metadata
 *   <dataDir>/<bucket>/objects/<sha256(key)>.<md5>.body     the bytes
 *
 * File names hash the key because S3 keys are not paths: `a` and `a/b` coexist, and a key may
 * hold `..` or 1024 bytes. Each file is written to a temporary name, flushed and renamed. The
 * `.json` is the commit record: a new body is in place before the record that names it, and the
 * old body is removed only after, so a crash at any point leaves the old or the new object whole.
 * A body named by no record (a crash between the two renames) is removed at the next start.
 */
class DiskStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private objectsDir(bucket: string) {
    return join(this.dir, bucket, 'objects');
  }

  private base(bucket: string, key: string) {
    return join(this.objectsDir(bucket), createHash('sha256').update(key).digest('hex'));
  }

  private bodyFile(bucket: string, key: string, etag: string) {
    return `${this.base(bucket, key)}.${etag.replaceAll('"', '')}.body`;
  }

  private async writeAtomically(file: string, data: Buffer | string): Promise<void> {
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, data, { flush: true });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async load(): Promise<Map<string, Bucket>> {
    await mkdir(this.dir, { recursive: true });
    const buckets = new Map<string, Bucket>();
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !VALID_BUCKET.test(entry.name)) continue;
      const info = await readFile(join(this.dir, entry.name, 'bucket.json'), 'utf8').then(
        (text) => JSON.parse(text) as { created?: string },
        () => ({}) as { created?: string },
      );
      const created = new Date(info.created ?? Number.NaN);
      buckets.set(entry.name, {
        created: Number.isNaN(created.getTime()) ? new Date() : created,
        objects: await this.loadObjects(entry.name),
      });
    }
    return buckets;
  }

  private async loadObjects(bucket: string): Promise<Map<string, StoredObject>> {
    const dir = this.objectsDir(bucket);
    const files = await readdir(dir).catch(() => [] as string[]);
    const objects = new Map<string, StoredObject>();
    const bodies = new Set<string>();
    for (const name of files) {
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
      if (!name.endsWith('.json')) continue;
      const record = await readFile(join(dir, name), 'utf8').then(
        (text) => JSON.parse(text) as ObjectRecord,
        () => undefined,
      );
      const body = record && this.bodyFile(bucket, record.key, record.etag);
      const data = body && (await readFile(body).catch(() => undefined));
      if (!record || !body || !data || data.length !== record.size) {
        console.warn(`local S3: skipping ${join(dir, name)}, unreadable or without its body`);
        continue;
      }
      bodies.add(body);
      objects.set(record.key, {
        data,
        etag: record.etag,
        lastModified: new Date(record.lastModified),
        contentType: record.contentType,
        headers: record.headers,
        metadata: record.metadata,
        ...(record.checksum ? { checksum: record.checksum } : {}),
      });
    }
    for (const name of files) {
      if (name.endsWith('.body') && !bodies.has(join(dir, name))) {
        await rm(join(dir, name), { force: true });
      }
    }
    return objects;
  }

  async createBucket(bucket: string, created: Date): Promise<void> {
    await mkdir(this.objectsDir(bucket), { recursive: true });
    await this.writeAtomically(
      join(this.dir, bucket, 'bucket.json'),
      JSON.stringify({ created: created.toISOString() }),
    );
  }

  async deleteBucket(bucket: string): Promise<void> {
    await rm(join(this.dir, bucket), { recursive: true, force: true });
  }

  async put(bucket: string, key: string, object: StoredObject, previous?: StoredObject) {
    const record: ObjectRecord = {
      key,
      etag: object.etag,
      size: object.data.length,
      lastModified: object.lastModified.toISOString(),
      contentType: object.contentType,
      headers: object.headers,
      metadata: object.metadata,
      ...(object.checksum ? { checksum: object.checksum } : {}),
    };
    await mkdir(this.objectsDir(bucket), { recursive: true });
    await this.writeAtomically(this.bodyFile(bucket, key, object.etag), object.data);
    await this.writeAtomically(`${this.base(bucket, key)}.json`, JSON.stringify(record, null, 2));
    if (previous && previous.etag !== object.etag) {
      await rm(this.bodyFile(bucket, key, previous.etag), { force: true });
    }
  }

  async delete(bucket: string, key: string, object: StoredObject): Promise<void> {
    await rm(`${this.base(bucket, key)}.json`, { force: true });
    await rm(this.bodyFile(bucket, key, object.etag), { force: true });
  }
}

export async function startS3(opts: S3Options = {}): Promise<LocalS3> {
  const credentials = opts.credentials ?? LOCAL_S3_CREDENTIALS;
  const log = opts.log ?? (() => {});
  const publicBuckets = new Set(opts.publicBuckets ?? []);
  const disk = opts.dataDir === undefined ? undefined : new DiskStore(opts.dataDir);
  const buckets = (await disk?.load()) ?? new Map<string, Bucket>();
  for (const name of [...(opts.buckets ?? []), ...publicBuckets]) {
    if (!VALID_BUCKET.test(name)) throw new Error(`local S3: invalid bucket name ${name}`);
    if (buckets.has(name)) continue;
    const created = new Date();
    await disk?.createBucket(name, created);
    buckets.set(name, { created, objects: new Map() });
  }

  /** The write or delete in progress per object, so that two on one key land in order. */
  const writes = new Map<string, Promise<unknown>>();
  function serially<T>(bucketName: string, key: string, task: () => Promise<T>): Promise<T> {
    const id = `${bucketName}/${key}`;
    const result = (writes.get(id) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => {},
      () => {},
    );
    writes.set(id, settled);
    void settled.then(() => {
      if (writes.get(id) === settled) writes.delete(id);
    });
    return result;
  }

  function removeObject(bucket: Bucket, bucketName: string, key: string): Promise<void> {
    return serially(bucketName, key, async () => {
      const object = bucket.objects.get(key);
      if (!object) return;
      await disk?.delete(bucketName, key, object);
      bucket.objects.delete(key);
    });
  }

  function bucketOf(name: string): Bucket {
    const bucket = buckets.get(name);
    if (!bucket) {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: name,
      });
    }
    return bucket;
  }

  function objectOf(bucketName: string, key: string): StoredObject {
    const object = bucketOf(bucketName).objects.get(key);
    if (!object) throw noSuchKey(key);
    return object;
  }

  function sendXml(res: http.ServerResponse, status: number, body: string, headers = {}): void {
    const bytes = Buffer.from(body);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/xml',
      'content-length': bytes.length,
    });
    res.end(res.req.method === 'HEAD' ? undefined : bytes);
  }

  function sendError(res: http.ServerResponse, error: S3Error, resource: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const requestId = String(res.getHeader('x-amz-request-id') ?? '');
    const details = Object.entries(error.details)
      .map(([name, value]) => el(name, value))
      .join('');
    const body = xmlDocument(
      'Error',
      `${el('Code', error.code)}${el('Message', error.message)}${details}${el('Resource', resource)}${el('RequestId', requestId)}`,
      false,
    );
    if (res.req.method === 'HEAD') {
      res.writeHead(error.status);
      res.end();
      return;
    }
    sendXml(res, error.status, body);
  }

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

  function serveCdn(
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
    if (!publicBuckets.has(bucket)) throw accessDenied();
    const object = objectOf(bucket, key);
    serveObject(req, res, object, {
      headers: {
        'cache-control': object.headers['cache-control'] ?? CDN_CACHE_CONTROL,
        'access-control-allow-origin': '*',
      },
      withChecksum: false,
    });
  }

  async function postObject(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bucketName: string,
  ): Promise<void> {
    const bucket = bucketOf(bucketName);
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(header(req, 'content-type') ?? '');
    const boundaryText = boundary?.[1] ?? boundary?.[2];
    if (!boundaryText) throw malformedPost();
    const declared = Number(header(req, 'content-length') ?? Number.NaN);
    if (declared > MAX_OBJECT_BYTES + MAX_POST_PRE_DATA_BYTES + POST_OVERHEAD_BYTES) {
      throw entityTooLarge(declared, MAX_OBJECT_BYTES);
    }
    const form = await readPostForm(req, boundaryText, (fields, _filename, bytesBefore) => {
      const range = checkPostPolicy(fields, bucketName, credentials);
      // The declared length already tells an oversized file apart: refuse it before reading it.
      if (declared - bytesBefore > range.max + POST_OVERHEAD_BYTES) {
        throw entityTooLarge(declared - bytesBefore, range.max);
      }
      return range;
    });
    const { fields } = form;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal upload-name variable
    const key = (fields.get('key') ?? '').replaceAll('${filename}', form.filename);
    if (key === '') {
      throw new S3Error(400, 'InvalidArgument', 'User key must have a length greater than 0.');
    }
    const object = await storeObject(bucket, bucketName, key, form.data, fields, undefined);
    const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
    const location = `${endpoint}/${bucketName}/${key.split('/').map(uriEncode).join('/')}`;
    if (redirect && /^https?:\/\//.test(redirect)) {
      const target = new URL(redirect);
      target.searchParams.set('bucket', bucketName);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', object.etag);
      res.writeHead(303, { location: target.toString(), etag: object.etag });
      res.end();
      return;
    }
    const status = Number(fields.get('success_action_status'));
    if (status === 201) {
      const body = xmlDocument(
        'PostResponse',
        `${el('Location', location)}${el('Bucket', bucketName)}${el('Key', key)}${el('ETag', object.etag)}`,
        false,
      );
      sendXml(res, 201, body, { etag: object.etag, location });
      return;
    }
    res.writeHead(status === 200 ? 200 : 204, { etag: object.etag, location });
    res.end();
  }

  function storeObject(
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
    return serially(bucketName, key, async () => {
      await disk?.put(bucketName, key, object, bucket.objects.get(key));
      bucket.objects.set(key, object);
      return object;
    });
  }

  async function putObject(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    auth: Authenticated,
    bucketName: string,
    key: string,
  ): Promise<void> {
    const bucket = bucketOf(bucketName);
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
    const object = await storeObject(bucket, bucketName, key, data, source, checksum);
    const headers: Record<string, string> = { etag: object.etag };
    if (checksum) {
      headers[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    res.writeHead(200, headers);
    res.end();
  }

  async function deleteObjects(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    auth: Authenticated,
    bucketName: string,
  ): Promise<void> {
    const bucket = bucketOf(bucketName);
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
    const keys = [...text.matchAll(/<Object>\s*<Key>([\s\S]*?)<\/Key>[\s\S]*?<\/Object>/g)].map(
      (m) => xmlUnescape(m[1] ?? ''),
    );
    if (!/<Delete[\s>]/.test(text) || keys.length === 0 || keys.length > MAX_KEYS) {
      throw new S3Error(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text);
    for (const key of keys) await removeObject(bucket, bucketName, key);
    const deleted = quiet ? '' : keys.map((key) => `<Deleted>${el('Key', key)}</Deleted>`).join('');
    sendXml(res, 200, xmlDocument('DeleteResult', deleted));
  }

  function listObjectsV2(
    res: http.ServerResponse,
    bucketName: string,
    q: Map<string, string>,
  ): void {
    const bucket = bucketOf(bucketName);
    if (q.get('list-type') !== '2') throw notImplemented();
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const maxKeysText = q.get('max-keys') ?? String(MAX_KEYS);
    if (!/^\d+$/.test(maxKeysText)) {
      throw new S3Error(
        400,
        'InvalidArgument',
        'Provided max-keys not an integer or within integer range',
        {
          ArgumentName: 'max-keys',
        },
      );
    }
    const maxKeys = Math.min(Number(maxKeysText), MAX_KEYS);
    const token = q.get('continuation-token');
    let after: { key: string; prefix: boolean } = {
      key: q.get('start-after') ?? '',
      prefix: false,
    };
    if (token !== undefined) {
      try {
        after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
      }
    }
    const urlEncoded = q.get('encoding-type') === 'url';
    const show = (text: string) => (urlEncoded ? text.split('/').map(uriEncode).join('/') : text);
    const contents: string[] = [];
    const prefixes: string[] = [];
    let last: { key: string; prefix: boolean } | undefined;
    let truncated = false;
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const key of keys) {
      if (key <= after.key || (after.prefix && key.startsWith(after.key))) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const common = cut === -1 ? undefined : key.slice(0, cut + delimiter.length);
      if (common !== undefined && last?.prefix && last.key === common) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common !== undefined) {
        prefixes.push(`<CommonPrefixes>${el('Prefix', show(common))}</CommonPrefixes>`);
        last = { key: common, prefix: true };
        continue;
      }
      const object = bucket.objects.get(key);
      if (!object) continue;
      contents.push(
        `<Contents>${el('Key', show(key))}${el('LastModified', object.lastModified.toISOString())}${el('ETag', object.etag)}${el('Size', object.data.length)}${el('StorageClass', 'STANDARD')}</Contents>`,
      );
      last = { key, prefix: false };
    }
    const inner = [
      el('Name', bucketName),
      el('Prefix', show(prefix)),
      delimiter ? el('Delimiter', show(delimiter)) : '',
      q.has('start-after') ? el('StartAfter', show(q.get('start-after') ?? '')) : '',
      token !== undefined ? el('ContinuationToken', token) : '',
      urlEncoded ? el('EncodingType', 'url') : '',
      el('KeyCount', contents.length + prefixes.length),
      el('MaxKeys', maxKeys),
      el('IsTruncated', truncated),
      truncated && last
        ? el('NextContinuationToken', Buffer.from(JSON.stringify(last)).toString('base64url'))
        : '',
      ...contents,
      ...prefixes,
    ].join('');
    sendXml(res, 200, xmlDocument('ListBucketResult', inner));
  }

  function listBuckets(res: http.ServerResponse): void {
    const list = [...buckets]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([name, bucket]) =>
          `<Bucket>${el('Name', name)}${el('CreationDate', bucket.created.toISOString())}</Bucket>`,
      )
      .join('');
    const owner = `<Owner>${el('ID', OWNER_ID)}${el('DisplayName', OWNER_ID)}</Owner>`;
    sendXml(res, 200, xmlDocument('ListAllMyBucketsResult', `${owner}<Buckets>${list}</Buckets>`));
  }

  async function route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    line: RequestLine,
    bucketName: string,
    key: string,
  ): Promise<void> {
    const method = line.method;
    const q = new Map(line.query);
    if (bucketName === '_cdn') {
      const slash = key.indexOf('/');
      if (slash === -1) throw accessDenied();
      serveCdn(req, res, key.slice(0, slash), key.slice(slash + 1));
      return;
    }
    if (method === 'POST' && bucketName && !key && !q.has('delete')) {
      if (!/^multipart\/form-data/i.test(header(req, 'content-type') ?? '')) throw malformedPost();
      await postObject(req, res, bucketName);
      return;
    }
    const auth = authenticate(req, line, credentials);
    for (const [name] of line.query) {
      if (!KNOWN_QUERY.has(name) && !/^x-amz-/i.test(name) && !name.startsWith('response-')) {
        throw notImplemented();
      }
    }
    if (!bucketName) {
      if (method !== 'GET') throw notImplemented();
      listBuckets(res);
      return;
    }
    if (!key) {
      switch (method) {
        case 'PUT': {
          if (!VALID_BUCKET.test(bucketName)) {
            throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
              BucketName: bucketName,
            });
          }
          if (buckets.has(bucketName)) {
            throw new S3Error(
              409,
              'BucketAlreadyOwnedByYou',
              'Your previous request to create the named bucket succeeded and you already own it.',
              { BucketName: bucketName },
            );
          }
          const created = new Date();
          await disk?.createBucket(bucketName, created);
          buckets.set(bucketName, { created, objects: new Map() });
          res.writeHead(200, { location: `/${bucketName}` });
          res.end();
          return;
        }
        case 'HEAD':
          bucketOf(bucketName);
          res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' });
          res.end();
          return;
        case 'DELETE':
          if (bucketOf(bucketName).objects.size > 0) {
            throw new S3Error(
              409,
              'BucketNotEmpty',
              'The bucket you tried to delete is not empty',
              {
                BucketName: bucketName,
              },
            );
          }
          await disk?.deleteBucket(bucketName);
          buckets.delete(bucketName);
          res.writeHead(204);
          res.end();
          return;
        case 'GET':
          listObjectsV2(res, bucketName, q);
          return;
        case 'POST':
          await deleteObjects(req, res, auth, bucketName);
          return;
        default:
          throw notImplemented();
      }
    }
    switch (method) {
      case 'PUT':
        await putObject(req, res, auth, bucketName, key);
        return;
      case 'GET':
      case 'HEAD': {
        const object = objectOf(bucketName, key);
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
        return;
      }
      case 'DELETE':
        await removeObject(bucketOf(bucketName), bucketName, key);
        res.writeHead(204);
        res.end();
        return;
      default:
        throw notImplemented();
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('x-amz-request-id', randomBytes(8).toString('hex').toUpperCase());
    res.setHeader('x-amz-id-2', randomBytes(24).toString('base64'));
    const origin = header(req, 'origin');
    if (origin) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader(
        'access-control-expose-headers',
        'ETag, Location, x-amz-request-id, x-amz-id-2, x-amz-version-id',
      );
    }
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    let resource = rawPath;
    let errorCode = '';
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(200, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, PUT, POST, HEAD, DELETE',
          'access-control-allow-headers': header(req, 'access-control-request-headers') ?? '*',
          'access-control-max-age': '3000',
        });
        res.end();
        return;
      }
      const line: RequestLine = {
        method: req.method ?? 'GET',
        rawPath,
        query: parseQuery(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)),
      };
      const path = rawPath.slice(1);
      const slash = path.indexOf('/');
      const bucketName = decode(slash === -1 ? path : path.slice(0, slash));
      const key = slash === -1 ? '' : decode(path.slice(slash + 1));
      resource = key ? `/${bucketName}/${key}` : `/${bucketName}`;
      await route(req, res, line, bucketName, key);
    } catch (error) {
      if (!(error instanceof S3Error)) console.error('local S3:', error);
      const s3Error =
        error instanceof S3Error
          ? error
          : new S3Error(
              500,
              'InternalError',
              'We encountered an internal error. Please try again.',
            );
      errorCode = ` ${s3Error.code}`;
      sendError(res, s3Error, resource);
    } finally {
      discardRest(req);
      log(`${req.method} ${rawPath} ${res.statusCode}${errorCode}`);
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    port,
    cdnUrl(bucket: string) {
      if (!publicBuckets.has(bucket)) {
        throw new Error(`local S3: bucket ${bucket} is not public (add it to publicBuckets)`);
      }
      return `${endpoint}/_cdn/${bucket}`;
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await Promise.all(writes.values());
    },
  };
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

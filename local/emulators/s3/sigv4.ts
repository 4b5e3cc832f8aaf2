/**
 * AWS Signature Version 4 as S3 checks it: in the Authorization header, or in the query of a
 * presigned URL, with its expiry. A presigned POST's policy is signed with the same key
 * (presigned-post.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { accessDenied, S3Error } from '#local/emulators/s3/errors';
import { header, type RequestLine } from '#local/emulators/s3/request';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 3600;

/** The percent-encoding SigV4 canonicalizes query strings with (RFC 3986 unreserved kept). */
export const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

export function sameHex(expected: string, provided: string): boolean {
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

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export function parseCredential(text: string, malformed: () => S3Error): Credential {
  const [accessKeyId, date, region, service, terminator, ...rest] = text.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    throw malformed();
  }
  if (rest.length > 0) throw malformed();
  return { accessKeyId, date, region, service };
}

export interface Authenticated {
  /** The payload hash the request was signed with (`x-amz-content-sha256` or its query form). */
  payloadHash: string;
  presigned: boolean;
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

/** Checks the request's signature and expiry; says which payload hash it was signed with. */
export function authenticate(
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

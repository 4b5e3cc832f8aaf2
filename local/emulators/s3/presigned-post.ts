/**
 * Browser uploads with a presigned POST: the multipart form is read as it streams in, and its
 * signature and every condition of its policy are checked before the file is read.
 */
import type http from 'node:http';
import {
  accessDenied,
  entityTooLarge,
  invalidPolicy,
  malformedPost,
  policyFailed,
  S3Error,
} from '#local/emulators/s3/errors';
import { storeObject } from '#local/emulators/s3/objects';
import { header } from '#local/emulators/s3/request';
import {
  hmac,
  parseCredential,
  type S3Credentials,
  sameHex,
  signingKey,
  uriEncode,
} from '#local/emulators/s3/sigv4';
import { MAX_OBJECT_BYTES, type S3Context } from '#local/emulators/s3/store';
import { el, sendXml, xmlDocument } from '#local/emulators/s3/xml';

/** S3 refuses POST forms whose fields before `file` exceed 20 KB. */
const MAX_POST_PRE_DATA_BYTES = 20 * 1024;
/** Closing boundary and ignored trailing fields, allowed on top of a policy's maximum size. */
const POST_OVERHEAD_BYTES = 64 * 1024;

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

export async function postObject(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  bucketName: string,
): Promise<void> {
  const bucket = s3.store.bucket(bucketName);
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(header(req, 'content-type') ?? '');
  const boundaryText = boundary?.[1] ?? boundary?.[2];
  if (!boundaryText) throw malformedPost();
  const declared = Number(header(req, 'content-length') ?? Number.NaN);
  if (declared > MAX_OBJECT_BYTES + MAX_POST_PRE_DATA_BYTES + POST_OVERHEAD_BYTES) {
    throw entityTooLarge(declared, MAX_OBJECT_BYTES);
  }
  const form = await readPostForm(req, boundaryText, (fields, _filename, bytesBefore) => {
    const range = checkPostPolicy(fields, bucketName, s3.credentials);
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
  const object = await storeObject(s3, bucket, bucketName, key, form.data, fields, undefined);
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  const location = `${s3.endpoint}/${bucketName}/${key.split('/').map(uriEncode).join('/')}`;
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

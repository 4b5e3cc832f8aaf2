/**
 * Request bodies as S3 reads them: a PUT body plain or aws-chunked, checked against its
 * declared hash and checksums; and the rest of a refused body, drained.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { readBody } from '#local/emulators/http';
import { CHECKSUMS } from '#local/emulators/s3/checksums';
import { entityTooLarge, S3Error } from '#local/emulators/s3/errors';
import { header } from '#local/emulators/s3/request';
import { type Authenticated, sha256Hex } from '#local/emulators/s3/sigv4';
import { MAX_OBJECT_BYTES, type StoredObject } from '#local/emulators/s3/store';

/** Past this, the rest of a refused request body is not read but the connection dropped. */
const MAX_DISCARDED_BYTES = 256 * 1024 * 1024;

/**
 * Lets a client finish sending a body we have already answered, so it reads our error instead
 * of a reset connection; a body far too large gets its connection dropped instead.
 */
export function discardRest(req: http.IncomingMessage): void {
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
export async function readObjectBody(
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
  const raw = await readBody(req, {
    limit: chunked ? 2 * MAX_OBJECT_BYTES + 65_536 : MAX_OBJECT_BYTES,
    tooLarge: entityTooLarge,
    keepOpen: true,
  });
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

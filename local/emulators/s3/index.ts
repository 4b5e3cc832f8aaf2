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
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { listen, stop } from '#local/emulators/http';
import { S3Error, sendError } from '#local/emulators/s3/errors';
import { discardRest } from '#local/emulators/s3/payload';
import { decode, header, parseQuery, type RequestLine } from '#local/emulators/s3/request';
import { route } from '#local/emulators/s3/routes';
import type { S3Credentials } from '#local/emulators/s3/sigv4';
import { type S3Context, Store } from '#local/emulators/s3/store';

export type { S3Credentials };

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

export async function startS3(opts: S3Options = {}): Promise<LocalS3> {
  const log = opts.log ?? (() => {});
  const publicBuckets = new Set(opts.publicBuckets ?? []);
  const store = await Store.open(opts.dataDir, [...(opts.buckets ?? []), ...publicBuckets]);
  const server = http.createServer();
  const port = await listen(server, opts.port);
  const s3: S3Context = {
    store,
    credentials: opts.credentials ?? LOCAL_S3_CREDENTIALS,
    publicBuckets,
    endpoint: `http://127.0.0.1:${port}`,
  };
  server.on('request', (req, res) => {
    void handle(s3, req, res, log);
  });

  return {
    endpoint: s3.endpoint,
    port,
    cdnUrl(bucket: string) {
      if (!publicBuckets.has(bucket)) {
        throw new Error(`local S3: bucket ${bucket} is not public (add it to publicBuckets)`);
      }
      return `${s3.endpoint}/_cdn/${bucket}`;
    },
    close: async () => {
      await stop(server);
      await store.settled();
    },
  };
}

async function handle(
  s3: S3Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void,
): Promise<void> {
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
    await route(s3, req, res, line, bucketName, key);
  } catch (error) {
    if (!(error instanceof S3Error)) console.error('local S3:', error);
    const s3Error =
      error instanceof S3Error
        ? error
        : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
    errorCode = ` ${s3Error.code}`;
    sendError(res, s3Error, resource);
  } finally {
    discardRest(req);
    log(`${req.method} ${rawPath} ${res.statusCode}${errorCode}`);
  }
}

/** Which S3 operation a request is: by method, bucket, key and query, as S3 tells them apart. */
import type http from 'node:http';
import { accessDenied, malformedPost, notImplemented, S3Error } from '#local/emulators/s3/errors';
import { listBuckets, listObjectsV2 } from '#local/emulators/s3/listing';
import { deleteObjects, getObject, putObject, serveCdn } from '#local/emulators/s3/objects';
import { postObject } from '#local/emulators/s3/presigned-post';
import { header, type RequestLine } from '#local/emulators/s3/request';
import { authenticate } from '#local/emulators/s3/sigv4';
import { type S3Context, VALID_BUCKET } from '#local/emulators/s3/store';

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

export async function route(
  s3: S3Context,
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
    serveCdn(s3, req, res, key.slice(0, slash), key.slice(slash + 1));
    return;
  }
  if (method === 'POST' && bucketName && !key && !q.has('delete')) {
    if (!/^multipart\/form-data/i.test(header(req, 'content-type') ?? '')) throw malformedPost();
    await postObject(s3, req, res, bucketName);
    return;
  }
  const auth = authenticate(req, line, s3.credentials);
  for (const [name] of line.query) {
    if (!KNOWN_QUERY.has(name) && !/^x-amz-/i.test(name) && !name.startsWith('response-')) {
      throw notImplemented();
    }
  }
  if (!bucketName) {
    if (method !== 'GET') throw notImplemented();
    listBuckets(s3, res);
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
        if (s3.store.buckets.has(bucketName)) {
          throw new S3Error(
            409,
            'BucketAlreadyOwnedByYou',
            'Your previous request to create the named bucket succeeded and you already own it.',
            { BucketName: bucketName },
          );
        }
        await s3.store.createBucket(bucketName);
        res.writeHead(200, { location: `/${bucketName}` });
        res.end();
        return;
      }
      case 'HEAD':
        s3.store.bucket(bucketName);
        res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' });
        res.end();
        return;
      case 'DELETE':
        if (s3.store.bucket(bucketName).objects.size > 0) {
          throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
            BucketName: bucketName,
          });
        }
        await s3.store.deleteBucket(bucketName);
        res.writeHead(204);
        res.end();
        return;
      case 'GET':
        listObjectsV2(s3, res, bucketName, q);
        return;
      case 'POST':
        await deleteObjects(s3, req, res, auth, bucketName);
        return;
      default:
        throw notImplemented();
    }
  }
  switch (method) {
    case 'PUT':
      await putObject(s3, req, res, auth, bucketName, key);
      return;
    case 'GET':
    case 'HEAD':
      getObject(s3, req, res, line, bucketName, key);
      return;
    case 'DELETE':
      await s3.store.remove(s3.store.bucket(bucketName), bucketName, key);
      res.writeHead(204);
      res.end();
      return;
    default:
      throw notImplemented();
  }
}

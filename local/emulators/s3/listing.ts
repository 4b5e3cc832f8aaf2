/** ListObjectsV2 (prefix, delimiter, pages) and ListBuckets. */
import type http from 'node:http';
import { notImplemented, S3Error } from '#local/emulators/s3/errors';
import { uriEncode } from '#local/emulators/s3/sigv4';
import type { S3Context } from '#local/emulators/s3/store';
import { el, sendXml, xmlDocument } from '#local/emulators/s3/xml';

export const MAX_KEYS = 1000;
const OWNER_ID = 'local-s3-owner';

export function listObjectsV2(
  s3: S3Context,
  res: http.ServerResponse,
  bucketName: string,
  q: Map<string, string>,
): void {
  const bucket = s3.store.bucket(bucketName);
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

export function listBuckets(s3: S3Context, res: http.ServerResponse): void {
  const list = [...s3.store.buckets]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([name, bucket]) =>
        `<Bucket>${el('Name', name)}${el('CreationDate', bucket.created.toISOString())}</Bucket>`,
    )
    .join('');
  const owner = `<Owner>${el('ID', OWNER_ID)}${el('DisplayName', OWNER_ID)}</Owner>`;
  sendXml(res, 200, xmlDocument('ListAllMyBucketsResult', `${owner}<Buckets>${list}</Buckets>`));
}

import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#lib/platform/config';
import { s3Client } from '#lib/platform/storage/objects';

/** A GET URL for a private object, valid PRIVATE_URL_SECONDS (five minutes at most). */
export function presignDownload(bucket: string, key: string): Promise<string> {
  return getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: config.PRIVATE_URL_SECONDS,
  });
}

import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { s3Client } from '#lib/platform/storage/objects';

export const UPLOAD_URL_SECONDS = 600;

export interface PresignedUpload {
  uploadUrl: string;
  fields: Record<string, string>;
  key: string;
  expiresInSeconds: number;
}

/**
 * A presigned POST for exactly this key, content type and size (the `sizeBytes` the client
 * declared), which S3 itself checks (content-length-range): a client cannot upload
 * anything else with it.
 */
export async function presignUpload(
  bucket: string,
  key: string,
  contentType: string,
  sizeBytes: number,
): Promise<PresignedUpload> {
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', sizeBytes, sizeBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  return { uploadUrl: url, fields, key, expiresInSeconds: UPLOAD_URL_SECONDS };
}

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '#lib/config';

let s3: S3Client | undefined;

function client(): S3Client {
  s3 ??= new S3Client({
    region: config.AWS_REGION,
    maxAttempts: 2,
    // Presigned URLs carry no checksum of a body they have not seen.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
  });
  return s3;
}

export const UPLOAD_URL_SECONDS = 600;

export interface PresignedUpload {
  uploadUrl: string;
  fields: Record<string, string>;
  key: string;
  expiresInSeconds: number;
}

/**
 * A presigned POST for exactly this key and content type, whose size S3 itself checks
 * (content-length-range): a client cannot upload anything else with it.
 */
export async function presignUpload(
  bucket: string,
  key: string,
  contentType: string,
  maxBytes: number,
): Promise<PresignedUpload> {
  const { url, fields } = await createPresignedPost(client(), {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: UPLOAD_URL_SECONDS,
  });
  return { uploadUrl: url, fields, key, expiresInSeconds: UPLOAD_URL_SECONDS };
}

/** The object's size and type, or undefined when it was never uploaded. */
export async function headObject(bucket: string, key: string) {
  try {
    const head = await client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? '' };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  await client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** A GET URL for a private object, valid PRIVATE_URL_SECONDS (five minutes at most). */
export function presignDownload(bucket: string, key: string): Promise<string> {
  return getSignedUrl(client(), new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: config.PRIVATE_URL_SECONDS,
  });
}

export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export const DOCUMENT_TYPES = { ...IMAGE_TYPES, 'application/pdf': 'pdf' } as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

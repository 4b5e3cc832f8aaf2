import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config } from '#lib/config';

let s3: S3Client | undefined;

/**
 * The S3 client, made on first use. Presigning lives in storage-upload.ts and
 * storage-download.ts, so a function bundles only the part of the SDK it uses.
 */
export function s3Client(): S3Client {
  s3 ??= new S3Client({
    region: config.AWS_REGION,
    maxAttempts: 2,
    // Presigned URLs carry no checksum of a body they have not seen.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
  });
  return s3;
}

/** The object's size and type, or undefined when it was never uploaded. */
export async function headObject(bucket: string, key: string) {
  try {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? '' };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export const DOCUMENT_TYPES = { ...IMAGE_TYPES, 'application/pdf': 'pdf' } as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

import { expect } from 'vitest';
import type { LocalStack } from '#tests/support/stack';
/** A real (1×1) JPEG. */
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** Uploads with a presigned POST as a phone app does: the policy's fields, then the file. */
export async function upload(
  presigned: { uploadUrl: string; fields: Record<string, string> },
  file: Buffer,
  type: string,
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(presigned.fields))
    form.append(k, k === 'Content-Type' ? type : v);
  form.append('file', new Blob([file], { type }), 'photo.jpg');
  return fetch(presigned.uploadUrl, { method: 'POST', body: form });
}

/** Asks `path` for a presigned upload as `token` and uploads a JPEG with it; returns the key. */
export async function uploadJpeg(
  stack: Pick<LocalStack, 'api'>,
  path: string,
  token: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const presigned = await stack.api('POST', path, {
    token,
    body: { ...extra, contentType: 'image/jpeg', sizeBytes: JPEG.length },
  });
  expect(presigned.status).toBe(201);
  expect((await upload(presigned.body, JPEG, 'image/jpeg')).status).toBe(204);
  return presigned.body.key as string;
}

/** A listing of this host with one photo, published; `body` adds to or replaces its fields. */
export async function publishedListing(
  stack: Pick<LocalStack, 'api'>,
  token: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; created: Record<string, unknown> }> {
  const created = await stack.api('POST', '/listings', {
    token,
    body: { title: 'Yaba loft', city: 'Lagos', pricePerNight: 4_500_000, maxGuests: 2, ...body },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const key = await uploadJpeg(stack, `/listings/${id}/photos/upload-url`, token);
  expect((await stack.api('POST', `/listings/${id}/photos`, { token, body: { key } })).status).toBe(
    201,
  );
  expect((await stack.api('POST', `/listings/${id}/publish`, { token })).status).toBe(200);
  return { id, created: created.body };
}

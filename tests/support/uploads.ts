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

/** The types and sizes uploads may have; contracts and the storage code share them. */
export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export const DOCUMENT_TYPES = { ...IMAGE_TYPES, 'application/pdf': 'pdf' } as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

import { config } from '#lib/platform/config';

/** The CDN URL of an object in the public bucket. */
export const publicUrl = (key: string) => `${config.CDN_BASE_URL}/${key}`;

/** A listing's photo URLs in display order, and its cover photo (the first). */
export function photoUrlsOf(keys: readonly string[]) {
  const photoUrls = keys.map(publicUrl);
  return { coverPhotoUrl: photoUrls[0] ?? null, photoUrls };
}

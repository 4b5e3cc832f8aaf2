/** Where the previous page ended: keyset on (published_at, id), newest first. */
export interface FeedCursor {
  publishedAt: Date;
  id: string;
}

export const encodeCursor = (c: FeedCursor) =>
  Buffer.from(`${c.publishedAt.toISOString()}|${c.id}`).toString('base64url');

export function decodeCursor(text: string): FeedCursor | undefined {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  // Exactly what encodeCursor writes: a 4-digit-year ISO instant and a uuid.
  if (rest.length > 0 || !at || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at))
    return undefined;
  if (!id || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    return undefined;
  const publishedAt = new Date(at);
  if (Number.isNaN(publishedAt.getTime()) || publishedAt.getUTCFullYear() < 1) return undefined;
  return { publishedAt, id };
}

import { badRequest } from '#lib/http/errors';

/** Where a page ordered by (an instant, id), newest first, ended: opaque to clients. */
export interface InstantCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeInstantCursor = (at: Date, id: string) =>
  Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

/** The cursor a page gave out, or a 400 on `query.cursor`. */
export function decodeInstantCursor(text: string): InstantCursor {
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || Number.isNaN(Date.parse(at)) || !id || !UUID.test(id)) {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', [
      { path: 'query.cursor', message: 'pass back nextCursor exactly as received' },
    ]);
  }
  return { at, id };
}

import * as z from 'zod/mini';

/** A presigned POST: send `fields`, then the file as `file`, to `uploadUrl`. */
export const presignedUpload = z.strictObject({
  uploadUrl: z.url(),
  fields: z.record(z.string(), z.string()),
  key: z.string(),
  expiresInSeconds: z.number().check(z.int()),
});

/** A lower-case uuid, for patterns of the keys uploads get. */
export const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

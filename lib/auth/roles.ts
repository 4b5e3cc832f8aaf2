import { principalRole } from '#lib/db/schema/principals';

/** The three kinds of principal; the database enum is the one definition. */
export const roles = principalRole.enumValues;
export type Role = (typeof roles)[number];

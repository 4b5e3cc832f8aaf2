import { type SQL, sql } from 'drizzle-orm';

/** A duration as a SQL interval, bound as a parameter. */
export const seconds = (n: number): SQL => sql`${`${n} seconds`}::interval`;

/** The instant `n` seconds from the database's now. */
export const fromNow = (n: number): SQL => sql`now() + ${seconds(n)}`;

/** The instant `n` seconds before the database's now. */
export const ago = (n: number): SQL => sql`now() - ${seconds(n)}`;

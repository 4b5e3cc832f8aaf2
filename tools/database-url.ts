/**
 * A database on this machine's Postgres, as `npm run dev` and the tests reach it: user postgres,
 * no password.
 */
export const localDatabaseUrl = (name: string) => `postgres://postgres@127.0.0.1:5432/${name}`;

/** The database of `npm run dev`, and of the tools when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = localDatabaseUrl('marketplace_dev');

/** DATABASE_URL, else the dev database. */
export const databaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

import { setSuspension } from '#lib/admin-suspension';

export const handler = setSuspension(true);

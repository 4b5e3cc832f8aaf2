import { reviewDocument } from '#lib/admin-review';

export const handler = reviewDocument('approved');

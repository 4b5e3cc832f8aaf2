import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { reviewGuest } from '#lib/reviews/contracts';
import { writeReview } from '#lib/reviews/reviews';

/** The host reviews the guest of a completed stay; hidden until the guest has reviewed too. */
export const handler = route(reviewGuest, async ({ params, body, principal }) =>
  created(await writeReview('host', params.id, principal.id, body)),
);

import { created } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { reviewBooking } from '#lib/reviews/contracts';
import { writeReview } from '#lib/reviews/reviews';

/** The guest reviews their completed stay; hidden until the host has reviewed them too. */
export const handler = route(reviewBooking, async ({ params, body, principal }) =>
  created(await writeReview('guest', params.id, principal.id, body)),
);

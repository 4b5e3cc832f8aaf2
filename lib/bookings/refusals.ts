import type { Cancellation } from '#lib/bookings/lifecycle';
import { conflict, notFound } from '#lib/http/errors';

/** Why a cancellation did not happen, as the client sees it. */
export function cancellationRefused(result: Extract<Cancellation, { cancelled: false }>) {
  switch (result.code) {
    case 'not_found':
      return notFound('booking');
    case 'checked_in':
      return conflict('checked_in', 'The stay has begun: only support can cancel it now.');
    case 'not_cancellable':
      return conflict(
        'booking_not_cancellable',
        `This booking is ${result.status}; it cannot be cancelled.`,
      );
  }
}

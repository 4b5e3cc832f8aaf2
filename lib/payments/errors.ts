import { HttpError } from '#lib/http/errors';
import { PaystackError } from '#lib/payments/paystack';

/** Rethrows a Paystack outage as a 503 the client (or Paystack's retries) may try again on. */
export function paystackUnavailable(error: unknown): never {
  if (error instanceof PaystackError) {
    throw new HttpError(
      503,
      'payment_provider_unavailable',
      'Paystack could not be reached; try again shortly.',
      {
        headers: { 'Retry-After': '5' },
        cause: error,
      },
    );
  }
  throw error;
}

/**
 * Reading what a client sends the secret-key API, and refusing it the way Paystack does: a
 * JSON object or form fields in, `{ status: false, message }` out, and on the newer routes
 * also the `meta.nextStep`, `type` and `code` Paystack adds to a refusal.
 */
import type http from 'node:http';
import { badRequest, HttpError, readBody } from '#local/emulators/http';
import { CURRENCIES, type Currency } from '#local/emulators/paystack/store';

const MAX_BODY_BYTES = 1024 * 1024;

export type Payload = Record<string, unknown>;

/** A refusal with the fields Paystack's error format adds to the message. */
export class PaystackError extends HttpError {
  readonly code: string;
  readonly type: 'validation_error' | 'api_error' | 'processor_error';
  readonly nextStep: string;
  constructor(
    statusCode: number,
    message: string,
    details: { code: string; nextStep: string; type?: PaystackError['type'] },
  ) {
    super(statusCode, message);
    this.code = details.code;
    this.type = details.type ?? 'validation_error';
    this.nextStep = details.nextStep;
  }
}

/** A JSON object, or form fields: Paystack takes either. */
export async function readPayload(req: http.IncomingMessage): Promise<Payload> {
  const text = (await readBody(req, { limit: MAX_BODY_BYTES })).toString('utf8');
  if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Invalid JSON in request body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('Request body must be a JSON object');
  }
  return value as Payload;
}

/** Minor units as an integer above zero; Paystack also takes them as a string of digits. */
export function parseAmount(value: unknown): number | undefined {
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value)
        : Number.NaN;
  return Number.isSafeInteger(amount) && amount > 0 ? amount : undefined;
}

export function parseCurrency(value: unknown): Currency | undefined {
  if (value === undefined || value === '') return undefined;
  if (CURRENCIES.includes(value as Currency)) return value as Currency;
  throw badRequest('Currency not supported by merchant');
}

export function optionalString(payload: Payload, field: string): string | undefined {
  const value = payload[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

/** Like `optionalString`, refusing an absent field as Paystack does: `<Label> is required`. */
export function requiredString(payload: Payload, field: string, label: string): string {
  const value = optionalString(payload, field);
  if (value === undefined || value.trim() === '') {
    throw new PaystackError(400, `${label} is required`, {
      code: 'missing_params',
      nextStep: 'Provide all required params',
    });
  }
  return value.trim();
}

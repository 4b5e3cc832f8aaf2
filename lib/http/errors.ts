export interface ErrorDetail {
  path: string;
  message: string;
}

/** The one error type whose message a client may see. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly expose: boolean;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.expose = statusCode < 500;
    this.details = extra.details;
    this.headers = extra.headers;
  }
}

export const badRequest = (code: string, message: string, details?: ErrorDetail[]) =>
  new HttpError(400, code, message, details ? { details } : {});
export const validationFailed = (details: ErrorDetail[]) =>
  new HttpError(400, 'validation_failed', 'The request is not valid.', { details });
/** A 401 says how to authenticate (RFC 9110: WWW-Authenticate is a MUST on every 401). */
export const unauthorized = (message = 'Authentication is required.', code = 'unauthorized') =>
  new HttpError(401, code, message, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (message = 'You may not do this.') =>
  new HttpError(403, 'forbidden', message);
export const notFound = (what: string) =>
  new HttpError(404, 'not_found', `The ${what} does not exist.`);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', 'Too many requests; try again later.', {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
export const serviceUnavailable = (message = 'A service the API needs is unavailable.') =>
  new HttpError(503, 'service_unavailable', message);

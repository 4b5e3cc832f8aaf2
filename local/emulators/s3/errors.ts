import type http from 'node:http';
import { HttpError } from '#local/emulators/http';
import { el, sendXml, xmlDocument } from '#local/emulators/s3/xml';

/** An S3 error: its HTTP status, its code (`NoSuchKey`, ...) and the detail elements S3 adds. */
export class S3Error extends HttpError {
  readonly code: string;
  readonly details: Record<string, string>;
  constructor(
    statusCode: number,
    code: string,
    message: string,
    details: Record<string, string> = {},
  ) {
    super(statusCode, message);
    this.code = code;
    this.details = details;
  }
}

export const accessDenied = (message = 'Access Denied', details?: Record<string, string>) =>
  new S3Error(403, 'AccessDenied', message, details);
export const policyFailed = (reason: string) =>
  accessDenied(`Invalid according to Policy: ${reason}`);
export const invalidPolicy = (reason: string) =>
  new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${reason}`);
export const entityTooLarge = (proposed: number, max: number) =>
  new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: String(proposed),
    MaxSizeAllowed: String(max),
  });
export const malformedPost = () =>
  new S3Error(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
export const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
export const preconditionFailed = (condition: string) =>
  new S3Error(
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
    {
      Condition: condition,
    },
  );
export const notImplemented = () =>
  new S3Error(
    501,
    'NotImplemented',
    'A header or query you provided implies functionality that is not implemented.',
  );

/** The `<Error>` document S3 answers with; a HEAD answer carries the status only. */
export function sendError(res: http.ServerResponse, error: S3Error, resource: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = String(res.getHeader('x-amz-request-id') ?? '');
  const details = Object.entries(error.details)
    .map(([name, value]) => el(name, value))
    .join('');
  const body = xmlDocument(
    'Error',
    `${el('Code', error.code)}${el('Message', error.message)}${details}${el('Resource', resource)}${el('RequestId', requestId)}`,
    false,
  );
  if (res.req.method === 'HEAD') {
    res.writeHead(error.statusCode);
    res.end();
    return;
  }
  sendXml(res, error.statusCode, body);
}

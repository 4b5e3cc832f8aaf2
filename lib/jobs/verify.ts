import { Receiver } from '@upstash/qstash';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { unauthorized } from '#lib/http/errors';
import { config } from '#lib/platform/config';

let receiver: Receiver | undefined;

/** The URL QStash signed: our public base URL and the path it delivered to. */
function deliveredUrl(event: APIGatewayProxyEventV2): string {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return `${config.PUBLIC_API_URL}${event.rawPath}${query}`;
}

/**
 * Checks `Upstash-Signature` against the raw body and the exact URL, with the current and
 * the next signing key; anything else is a 401 and the job does not run. Returns the
 * signature's own id (`jti`): QStash signs every delivery attempt anew, so a second
 * request with the same id is a replay of a captured one.
 */
export async function verifyQStashSignature(event: APIGatewayProxyEventV2): Promise<string> {
  const signature = event.headers['upstash-signature'];
  if (!signature) throw unauthorized('A QStash signature is required.');
  if (!config.QSTASH_CURRENT_SIGNING_KEY || !config.QSTASH_NEXT_SIGNING_KEY) {
    throw unauthorized('Job signatures cannot be checked: the signing keys are not configured.');
  }
  receiver ??= new Receiver({
    currentSigningKey: config.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: config.QSTASH_NEXT_SIGNING_KEY,
  });
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const valid = await receiver
    .verify({ signature, body, url: deliveredUrl(event) })
    .catch(() => false);
  if (!valid) throw unauthorized('The QStash signature is not valid.');
  const payload = signature.split('.')[1] ?? '';
  const { jti } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    jti?: unknown;
  };
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 200) {
    throw unauthorized('The QStash signature has no id.');
  }
  return jti;
}

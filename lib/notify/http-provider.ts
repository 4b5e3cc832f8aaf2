import { PermanentJobError, retryLater } from '#lib/jobs/errors';
import { config } from '#lib/platform/config';

/**
 * POSTs JSON to a provider with a deadline. A network failure, a timeout, 429 or 5xx is
 * worth retrying; another 4xx means the provider will never take this message.
 */
export async function postToProvider(
  provider: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.PROVIDER_TIMEOUT_MS),
    });
  } catch (error) {
    throw retryLater(`${provider} unreachable: ${(error as Error).name}`);
  }
  const text = await res.text();
  if (res.status === 429 || res.status >= 500)
    throw retryLater(`${provider} answered ${res.status}`);
  if (!res.ok)
    throw new PermanentJobError(
      `${provider} refused the message (${res.status}): ${text.slice(0, 200)}`,
    );
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

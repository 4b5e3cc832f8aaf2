import { and, eq, inArray } from 'drizzle-orm';
import type { Role } from '#lib/auth/roles';
import { db, schema } from '#lib/db/index';
import { postToProvider } from '#lib/notify/http-provider';
import { writeToOutbox } from '#lib/notify/outbox';
import { config } from '#lib/platform/config';

export interface Push {
  role: Role;
  principalId: string;
  title: string;
  body: string;
  data?: Record<string, string> | undefined;
}

interface ExpoTicket {
  status: 'ok' | 'error';
  details?: { error?: string };
}

const { pushTokens } = schema;

/**
 * Sends to every device the principal registered, through Expo's push API (one request
 * for up to 100 devices). Tokens Expo says are no longer registered are forgotten.
 * Returns how many devices it was sent to.
 */
export async function sendPush(push: Push): Promise<number> {
  const devices = await db()
    .select({ token: pushTokens.token })
    .from(pushTokens)
    .where(and(eq(pushTokens.role, push.role), eq(pushTokens.principalId, push.principalId)))
    .limit(100);
  if (config.PUSH_PROVIDER === 'outbox') {
    for (const { token } of devices) {
      await writeToOutbox({
        channel: 'push',
        to: token,
        title: push.title,
        text: push.body,
        ...(push.data ? { data: push.data } : {}),
      });
    }
    return devices.length;
  }
  if (devices.length === 0) return 0;
  const messages = devices.map(({ token }) => ({
    to: token,
    title: push.title,
    body: push.body,
    data: push.data ?? {},
    sound: 'default',
  }));
  const reply = (await postToProvider(
    'Expo',
    config.EXPO_PUSH_URL,
    messages,
    config.EXPO_ACCESS_TOKEN ? { authorization: `Bearer ${config.EXPO_ACCESS_TOKEN}` } : {},
  )) as { data?: ExpoTicket[] };
  const gone = (reply.data ?? [])
    .map((ticket, i) =>
      ticket.details?.error === 'DeviceNotRegistered' ? devices[i]?.token : undefined,
    )
    .filter((t): t is string => Boolean(t));
  if (gone.length > 0) await db().delete(pushTokens).where(inArray(pushTokens.token, gone));
  return devices.length;
}

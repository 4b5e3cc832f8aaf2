import { deliver } from '#lib/chat/fanout';
import { participantsOf } from '#lib/chat/messages';
import { typing } from '#lib/chat/ws-contracts';
import { cacheKey, safely } from '#lib/platform/cache';
import { WsError, wsRoute } from '#lib/ws/route';

/** One typing frame per person and conversation in this many seconds reaches the others. */
const TYPING_EVERY_SECONDS = 3;

/** Not stored. Throttled in the cache; without one, every frame goes through. */
export const handler = wsRoute(typing, async ({ body, caller }) => {
  const participants = await participantsOf(body.conversationId, caller);
  if (!participants) throw new WsError('not_found', 'The conversation does not exist.');
  const key = cacheKey(`typing:${body.conversationId}:${caller.role}:${caller.id}`);
  const fresh = await safely(
    'typing throttle',
    (r) => r.set(key, '1', { nx: true, ex: TYPING_EVERY_SECONDS }),
    'OK' as const,
  );
  if (fresh !== 'OK') return;
  const others = participants.filter((p) => !(p.role === caller.role && p.id === caller.id));
  await deliver(others, { type: 'typing', conversationId: body.conversationId, role: caller.role });
});

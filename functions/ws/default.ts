import { fallback } from '#lib/chat/ws-contracts';
import { WsError, wsRoute } from '#lib/ws/route';

/** A frame that is not JSON, has no action or an unknown one. */
export const handler = wsRoute(fallback, async () => {
  throw new WsError(
    'unknown_action',
    'Send {"action": "sendMessage" | "typing" | "markRead", ...}.',
  );
});

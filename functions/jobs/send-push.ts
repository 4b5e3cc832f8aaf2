import { jobRoute } from '#lib/jobs/route';
import { sendPush } from '#lib/notify/push';

export const handler = jobRoute('send-push', async (push) => ({ devices: await sendPush(push) }));

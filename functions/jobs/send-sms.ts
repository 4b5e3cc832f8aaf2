import { jobRoute } from '#lib/jobs/route';
import { sendSms } from '#lib/notify/sms';

export const handler = jobRoute('send-sms', async (sms) => {
  await sendSms(sms);
});

import { jobRoute } from '#lib/jobs/route';
import { sendEmail } from '#lib/notify/email';

export const handler = jobRoute('send-email', async (email) => {
  await sendEmail(email);
});

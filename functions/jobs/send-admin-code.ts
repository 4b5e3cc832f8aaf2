import { adminExists } from '#lib/auth/principals';
import { jobRoute } from '#lib/jobs/route';
import { sendEmail } from '#lib/notify/email';

/**
 * Sends an admin's sign-in code, if the address is a known admin's. Decided here, after
 * the request has answered, so a request for an unknown admin costs the same as one for
 * a known admin and its timing says nothing.
 */
export const handler = jobRoute('send-admin-code', async ({ email, code }) => {
  if (!(await adminExists(email))) return { sent: false };
  await sendEmail({
    to: email,
    subject: `Your sign-in code: ${code}`,
    text: `Your marketplace code is ${code}. It expires in 5 minutes. Never share it.`,
  });
  return { sent: true };
});

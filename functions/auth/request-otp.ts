import { type Identity, identifierOf, identity } from '#lib/auth/identifiers';
import { issueOtp, OTP_SECONDS } from '#lib/auth/otp';
import { adminExists } from '#lib/auth/principals';
import { enforceLimits, perAddress } from '#lib/auth/rate-limit';
import { accepted } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { enqueue } from '#lib/jobs/enqueue';

async function send(id: Identity, code: string): Promise<void> {
  const text = `Your marketplace code is ${code}. It expires in 5 minutes. Never share it.`;
  if (id.phone) await enqueue('send-sms', { to: id.phone, text });
  else if (id.email)
    await enqueue('send-email', { to: id.email, subject: `Your sign-in code: ${code}`, text });
}

/**
 * Sends a 6-digit code by SMS or email. The answer is the same whether or not an account
 * exists, so it says nothing about who is registered.
 */
export const handler = route({ body: identity }, async ({ body, event }) => {
  const identifier = identifierOf(body);
  await enforceLimits([
    { key: `otp-request:${body.role}:${identifier}:minute`, max: 1, windowSeconds: 60 },
    { key: `otp-request:${body.role}:${identifier}:hour`, max: 5, windowSeconds: 3600 },
    ...perAddress(event.requestContext.http.sourceIp, {
      key: `otp-request:ip:${event.requestContext.http.sourceIp}`,
      max: 20,
      windowSeconds: 3600,
    }),
  ]);
  // Admins are never created by signing in: an unknown admin gets no code, and the same 202.
  if (body.role !== 'admin' || (await adminExists(identifier))) {
    await send(body, await issueOtp(body.role, identifier));
  }
  return accepted({ expiresInSeconds: OTP_SECONDS });
});

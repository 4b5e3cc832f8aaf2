import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { requestOtp } from '#lib/auth/contracts';
import { type Identity, identifierOf } from '#lib/auth/identifiers';
import { issueOtp, OTP_SECONDS } from '#lib/auth/otp';
import { enforceLimits, perAddress } from '#lib/auth/rate-limit';
import { validationFailed } from '#lib/http/errors';
import { accepted } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { enqueue } from '#lib/jobs/enqueue';
import { config } from '#lib/platform/config';

const DAY = 24 * 60 * 60;

/** The country of a phone that may get a sign-in SMS; anything else is a 400 naming the field. */
function smsCountry(phone: string): string {
  const country = parsePhoneNumberFromString(phone)?.country;
  if (!country || !config.OTP_SMS_COUNTRIES.includes(country)) {
    throw validationFailed([
      {
        path: 'body.phone',
        message: `sign-in by SMS serves ${config.OTP_SMS_COUNTRIES.join(', ')}; sign in by email instead`,
      },
    ]);
  }
  return country;
}

async function send(id: Identity, code: string): Promise<void> {
  const text = `Your marketplace code is ${code}. It expires in 5 minutes. Never share it.`;
  if (id.role === 'admin') await enqueue('send-admin-code', { email: id.email as string, code });
  else if (id.phone) await enqueue('send-sms', { to: id.phone, text });
  else if (id.email)
    await enqueue('send-email', { to: id.email, subject: `Your sign-in code: ${code}`, text });
}

/**
 * Sends a 6-digit code by SMS or email. The answer, and the work behind it, are the same
 * whether or not an account exists, so it says nothing about who is registered: an
 * admin's code goes through a job that sends it only to a known admin.
 */
export const handler = route(requestOtp, async ({ body, event }) => {
  const identifier = identifierOf(body);
  const country = body.phone ? smsCountry(body.phone) : undefined;
  const ip = event.requestContext.http.sourceIp;
  // Per identifier and address, so a stranger cannot use up someone else's requests; per
  // identifier in all, so no one is bombed with codes from many addresses.
  await enforceLimits([
    { key: `otp-request:${body.role}:${identifier}:${ip}:minute`, max: 1, windowSeconds: 60 },
    { key: `otp-request:${body.role}:${identifier}:${ip}:hour`, max: 5, windowSeconds: 3600 },
    { key: `otp-request:${body.role}:${identifier}:hour`, max: 10, windowSeconds: 3600 },
    ...perAddress(ip, { key: `otp-request:ip:${ip}`, max: 20, windowSeconds: 3600 }),
  ]);
  // Paid SMS, counted only once the request may send one: a cap per country, then one in
  // all (in that order, so an SMS one country's cap refused does not count in all).
  if (country) {
    await enforceLimits([
      {
        key: `sms:country:${country}:day`,
        max: config.OTP_SMS_COUNTRY_DAILY_CAP,
        windowSeconds: DAY,
        alert: `sign-in SMS to ${country} reached the daily cap; SMS sign-in there is paused`,
      },
    ]);
    await enforceLimits([
      {
        key: 'sms:all:day',
        max: config.OTP_SMS_DAILY_CAP,
        windowSeconds: DAY,
        alert: 'sign-in SMS reached the daily cap; SMS sign-in is paused',
      },
    ]);
  }
  await send(body, await issueOtp(body.role, identifier));
  return accepted({ expiresInSeconds: OTP_SECONDS });
});

import { verifyOtp } from '#lib/auth/contracts';
import { identifierOf } from '#lib/auth/identifiers';
import { checkOtp } from '#lib/auth/otp';
import { findOrCreatePrincipal } from '#lib/auth/principals';
import { enforceLimits, perAddress } from '#lib/auth/rate-limit';
import { startSession } from '#lib/auth/sessions';
import { unauthorized } from '#lib/http/errors';
import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';

/** Trades a right code for tokens; the first success creates the user or host. */
export const handler = route(verifyOtp, async ({ body, event }) => {
  const identifier = identifierOf(body);
  const ip = event.requestContext.http.sourceIp;
  // Keyed by identifier and address, so strangers' wrong guesses cannot lock the owner out.
  // A brute force from many addresses still stops: each code dies after five tries, a new
  // one takes a request (10 an hour per identifier), and the identifier's own cap is high
  // above anything its owner would need.
  await enforceLimits([
    { key: `otp-verify:${body.role}:${identifier}:${ip}`, max: 10, windowSeconds: 900 },
    { key: `otp-verify:${body.role}:${identifier}`, max: 60, windowSeconds: 3600 },
    ...perAddress(ip, { key: `otp-verify:ip:${ip}`, max: 60, windowSeconds: 3600 }),
  ]);
  if (!(await checkOtp(body.role, identifier, body.code))) {
    throw unauthorized('The code is wrong or has expired.');
  }
  const principalId = await findOrCreatePrincipal(body);
  if (!principalId) throw unauthorized('The code is wrong or has expired.');
  return ok(await startSession(body.role, principalId));
});

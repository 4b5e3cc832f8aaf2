import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import * as z from 'zod/mini';
import { roles } from '#lib/auth/roles';

/**
 * A phone number in E.164. Local Nigerian numbers (08012345678) are read as +234; any
 * other country needs its + prefix. libphonenumber's metadata checks the number is valid
 * for its country, not only its length.
 */
export const phoneNumber = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const parsed = parsePhoneNumberFromString(value.trim(), 'NG');
    if (!parsed?.isValid()) {
      // A mini transform's context has no addIssue: the issue classic's addIssue would push.
      ctx.issues.push({
        code: 'custom',
        message: 'not a valid phone number; use +234... (E.164)',
        input: value,
      });
      return z.NEVER;
    }
    return parsed.number;
  }),
);

export const emailAddress = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.email({ message: 'not a valid email address' }),
);

export const role = z.enum(roles);

/** `{phone}` or `{email}`, exactly one, with the role signing in. */
export const identity = z
  .strictObject({
    phone: z.optional(phoneNumber),
    email: z.optional(emailAddress),
    role,
  })
  .check(
    z.refine((v) => (v.phone === undefined) !== (v.email === undefined), {
      message: 'give either phone or email, not both',
    }),
    z.refine((v) => v.role !== 'admin' || v.email !== undefined, {
      message: 'admins sign in with email',
      path: ['email'],
    }),
  );

export type Identity = z.output<typeof identity>;

/** The normalized identifier an OTP and its limits are kept under. */
export const identifierOf = (id: Identity): string => (id.phone ?? id.email) as string;

import * as z from 'zod/mini';
import { roles } from '#lib/auth/roles';
import { pushPlatform } from '#lib/db/schema/principals';
import { contract, instant, signedIn } from '#lib/http/contract';
import { presignedUpload, uuidPattern } from '#lib/platform/storage/contracts';
import { IMAGE_TYPES, MAX_AVATAR_BYTES } from '#lib/platform/storage/types';

const profile = z.strictObject({
  id: z.uuid(),
  role: z.enum(roles),
  name: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  email: z.nullable(z.string()),
  avatarUrl: z.nullable(z.url()),
  createdAt: instant,
});

export const getMe = contract({
  method: 'GET',
  path: '/me',
  fn: 'me/get-me',
  auth: signedIn('user', 'host', 'admin'),
  memory: 256,
  description: "The caller's profile",
  responses: { 200: profile },
});

export const updateMe = contract({
  method: 'PATCH',
  path: '/me',
  fn: 'me/update-me',
  uses: ['public-bucket'],
  auth: signedIn('user', 'host', 'admin'),
  memory: 256,
  description: 'Change name or avatar',
  // Strict: role, id, phone, email or anything else in the body is a 400, never assigned.
  body: z
    .strictObject({
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
      avatarKey: z.optional(
        z
          .string()
          .check(
            z.regex(
              new RegExp(`^avatars/${uuidPattern}/${uuidPattern}\\.(jpg|png|webp)$`),
              'a key from POST /me/avatar/upload-url',
            ),
          ),
      ),
    })
    .check(
      z.refine((b) => b.name !== undefined || b.avatarKey !== undefined, {
        message: 'nothing to change',
      }),
    ),
  responses: { 200: profile },
});

export const createAvatarUpload = contract({
  method: 'POST',
  path: '/me/avatar/upload-url',
  fn: 'me/create-avatar-upload',
  uses: ['public-bucket'],
  auth: signedIn('user', 'host'),
  memory: 256,
  description: 'Presigned avatar upload',
  body: z.strictObject({
    contentType: z.enum(Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES]),
    sizeBytes: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_AVATAR_BYTES)),
  }),
  responses: { 201: presignedUpload },
});

export const deleteMe = contract({
  method: 'DELETE',
  path: '/me',
  fn: 'me/delete-me',
  uses: ['public-bucket', 'private-bucket'],
  auth: signedIn('user', 'host'),
  memory: 256,
  description: 'Erase the account',
  responses: { 204: null },
});

export const registerPushToken = contract({
  method: 'POST',
  path: '/me/push-tokens',
  fn: 'me/register-push-token',
  auth: signedIn('user', 'host', 'admin'),
  memory: 256,
  description: 'Register a device for push',
  body: z.strictObject({
    token: z
      .string()
      .check(z.regex(/^(ExponentPushToken|ExpoPushToken)\[[\w-]+\]$/, 'an Expo push token')),
    platform: z.enum(pushPlatform.enumValues),
  }),
  responses: { 204: null },
});

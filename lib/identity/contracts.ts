import * as z from 'zod/mini';
import { identityDocumentKind, identityDocumentStatus } from '#lib/db/schema/hosts';
import { contract, instant, signedIn } from '#lib/http/contract';
import { pageQuery } from '#lib/http/paging';
import { presignedUpload } from '#lib/platform/storage/contracts';
import { DOCUMENT_TYPES, MAX_UPLOAD_BYTES } from '#lib/platform/storage/types';

const kind = z.enum(identityDocumentKind.enumValues);
const status = z.enum(identityDocumentStatus.enumValues);

/** A document as its host or an admin sees it: with a GET URL that works for five minutes. */
const document = z.strictObject({
  id: z.uuid(),
  kind,
  status,
  reason: z.nullable(z.string()),
  createdAt: instant,
  reviewedAt: z.nullable(instant),
  url: z.url(),
  urlExpiresInSeconds: z.number().check(z.int()),
});

export const createDocumentUpload = contract({
  method: 'POST',
  path: '/host/identity-documents/upload-url',
  fn: 'host/create-document-upload',
  uses: ['private-bucket'],
  auth: signedIn('host'),
  description: 'Presigned private upload',
  body: z.strictObject({
    kind,
    contentType: z.enum(Object.keys(DOCUMENT_TYPES) as [keyof typeof DOCUMENT_TYPES]),
    sizeBytes: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_UPLOAD_BYTES)),
  }),
  responses: { 201: presignedUpload },
});

export const submitDocument = contract({
  method: 'POST',
  path: '/host/identity-documents',
  fn: 'host/submit-document',
  uses: ['private-bucket'],
  auth: signedIn('host'),
  description: 'Submit a document for review',
  body: z.strictObject({ kind, key: z.string().check(z.minLength(1), z.maxLength(300)) }),
  responses: { 201: z.strictObject({ id: z.uuid(), status }) },
});

export const listDocuments = contract({
  method: 'GET',
  path: '/host/identity-documents',
  fn: 'host/list-documents',
  uses: ['private-bucket'],
  auth: signedIn('host'),
  description: "The host's documents",
  responses: { 200: z.strictObject({ documents: z.array(document) }) },
});

export const listIdentityDocuments = contract({
  method: 'GET',
  path: '/admin/identity-documents',
  fn: 'admin/list-identity-documents',
  uses: ['private-bucket'],
  auth: signedIn('admin'),
  description: 'Identity documents to review',
  query: z.strictObject({ status: z._default(status, 'pending'), ...pageQuery }),
  responses: {
    200: z.strictObject({
      documents: z.array(
        z.extend(document, {
          host: z.strictObject({ id: z.uuid(), name: z.nullable(z.string()) }),
        }),
      ),
      limit: z.number().check(z.int()),
      offset: z.number().check(z.int()),
    }),
  },
});

const review = {
  auth: signedIn('admin'),
  params: z.object({ id: z.uuid() }),
  body: z._default(
    z.strictObject({
      reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
    }),
    {},
  ),
  responses: {
    200: z.strictObject({
      id: z.uuid(),
      status,
      reason: z.nullable(z.string()),
      reviewedAt: z.nullable(instant),
    }),
  },
} as const;

export const approveIdentityDocument = contract({
  method: 'POST',
  path: '/admin/identity-documents/{id}/approve',
  fn: 'admin/approve-identity-document',
  description: 'Approve a document',
  ...review,
});

export const rejectIdentityDocument = contract({
  method: 'POST',
  path: '/admin/identity-documents/{id}/reject',
  fn: 'admin/reject-identity-document',
  description: 'Reject a document',
  ...review,
});

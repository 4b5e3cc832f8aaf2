import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { rejectIdentityDocument } from '#lib/identity/contracts';
import { reviewDocument } from '#lib/identity/documents';

/** Rejects a host's identity document; the host is told. */
export const handler = route(rejectIdentityDocument, async ({ params, body, principal: admin }) =>
  ok(
    await reviewDocument(params.id, { status: 'rejected', reason: body.reason, adminId: admin.id }),
  ),
);

import { ok } from '#lib/http/reply';
import { route } from '#lib/http/route';
import { approveIdentityDocument } from '#lib/identity/contracts';
import { reviewDocument } from '#lib/identity/documents';

/** Approves a host's identity document; the host is told. */
export const handler = route(approveIdentityDocument, async ({ params, body, principal: admin }) =>
  ok(
    await reviewDocument(params.id, { status: 'approved', reason: body.reason, adminId: admin.id }),
  ),
);

/**
 * Recipients and transfers the way Paystack's API and `transfer.*` events spell them. The
 * answers mix camelCase (`createdAt`, `recipient_code`, ...) exactly as Paystack does.
 */
import { INTEGRATION_ID } from '#local/emulators/paystack/json';
import type { Recipient, Transfer } from '#local/emulators/paystack/transfers';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A recipient as create, fetch and list answer it, and as transfers embed it. */
export function recipientJson(recipient: Recipient) {
  return {
    active: true,
    createdAt: iso(recipient.createdAt),
    currency: recipient.currency,
    description: recipient.description,
    domain: 'test',
    email: null,
    id: recipient.id,
    integration: INTEGRATION_ID,
    metadata: recipient.metadata,
    name: recipient.name,
    recipient_code: recipient.code,
    type: recipient.type,
    updatedAt: iso(recipient.updatedAt),
    is_deleted: false,
    isDeleted: false,
    details: {
      authorization_code: null,
      account_number: recipient.accountNumber,
      account_name: recipient.accountName,
      bank_code: recipient.bankCode,
      bank_name: recipient.bankName,
    },
  };
}

function transferFields(transfer: Transfer) {
  return {
    amount: transfer.amount,
    currency: transfer.currency,
    domain: 'test',
    failures: null,
    id: transfer.id,
    reason: transfer.reason,
    reference: transfer.reference,
    source: 'balance',
    source_details: null,
    status: transfer.status,
    titan_code: null,
    transfer_code: transfer.code,
    request: transfer.requestId,
    transferred_at: iso(transfer.transferredAt),
    createdAt: iso(transfer.createdAt),
    updatedAt: iso(transfer.updatedAt),
  };
}

/** The `data` of an initiate answer: there the recipient is its id only. */
export function createdTransferJson(transfer: Transfer) {
  return {
    transfersessionid: [],
    transfertrials: [],
    ...transferFields(transfer),
    integration: INTEGRATION_ID,
    recipient: transfer.recipientId,
  };
}

/** The `data` of a fetch or verify answer, and an entry of the list. */
export function transferJson(transfer: Transfer, recipient: Recipient) {
  return {
    ...transferFields(transfer),
    integration: INTEGRATION_ID,
    recipient: recipientJson(recipient),
    session: { provider: transfer.sessionId ? 'nip' : null, id: transfer.sessionId },
    // Fees are not emulated: the whole amount reaches the recipient.
    fee_charged: 0,
    fees_breakdown: null,
    gateway_response: transfer.gatewayResponse,
  };
}

/** The `data` of `transfer.success`, `transfer.failed` and `transfer.reversed`. */
export function transferEventJson(transfer: Transfer, recipient: Recipient) {
  return {
    ...transferJson(transfer, recipient),
    integration: { id: INTEGRATION_ID, is_live: false, business_name: 'Local Paystack' },
  };
}

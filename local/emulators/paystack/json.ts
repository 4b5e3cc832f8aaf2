/**
 * Transactions and refunds the way Paystack's API and webhooks spell them: snake_case, ISO
 * instants, amounts in minor units, and the fixed test-mode card every local payment uses.
 */
import type { Refund, Transaction } from '#local/emulators/paystack/store';

/** Paystack puts an integration (merchant account) id on refunds and refund events. */
export const INTEGRATION_ID = 100_001;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Paystack's own test card, as it appears on a test-mode authorization. */
function authorization(transaction: Transaction) {
  return {
    authorization_code: `AUTH_${transaction.accessCode.slice(0, 10)}`,
    bin: '408408',
    last4: '4081',
    exp_month: '12',
    exp_year: '2030',
    channel: 'card',
    card_type: 'visa',
    bank: 'TEST BANK',
    country_code: 'NG',
    brand: 'visa',
    reusable: true,
    signature: `SIG_${transaction.accessCode}`,
    account_name: null,
  };
}

/** The `data` of a verify or fetch answer, and of a `charge.success` event. */
export function transactionJson(transaction: Transaction) {
  const { customer } = transaction;
  return {
    id: transaction.id,
    domain: 'test',
    status: transaction.status,
    reference: transaction.reference,
    receipt_number: null,
    amount: transaction.amount,
    message: null,
    gateway_response: transaction.gatewayResponse,
    paid_at: iso(transaction.paidAt),
    created_at: iso(transaction.createdAt),
    channel: 'card',
    currency: transaction.currency,
    ip_address: '127.0.0.1',
    metadata: transaction.metadata,
    authorization: transaction.status === 'abandoned' ? {} : authorization(transaction),
    customer: {
      id: customer.id,
      first_name: null,
      last_name: null,
      email: customer.email,
      customer_code: customer.code,
      phone: null,
      metadata: null,
      risk_action: 'default',
      international_format_phone: null,
    },
    plan: null,
    split: {},
    order_id: null,
    paidAt: iso(transaction.paidAt),
    createdAt: iso(transaction.createdAt),
    requested_amount: transaction.amount,
    transaction_date: iso(transaction.createdAt),
  };
}

function refundFields(refund: Refund) {
  return {
    id: refund.id,
    integration: INTEGRATION_ID,
    domain: 'test',
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    deducted_amount: refund.status === 'processed' ? refund.amount : 0,
    fully_deducted: refund.status === 'processed',
    channel: null,
    customer_note: refund.customerNote,
    merchant_note: refund.merchantNote,
    refunded_by: 'local@paystack.test',
    refunded_at: iso(refund.refundedAt),
    expected_at: iso(refund.createdAt),
    createdAt: iso(refund.createdAt),
    updatedAt: iso(refund.refundedAt ?? refund.createdAt),
  };
}

/** The `data` of a create-refund answer: the transaction appears as an object. */
export function createdRefundJson(refund: Refund, transaction: Transaction) {
  return {
    ...refundFields(refund),
    transaction: {
      id: transaction.id,
      domain: 'test',
      reference: transaction.reference,
      amount: transaction.amount,
      paid_at: iso(transaction.paidAt),
      channel: 'card',
      currency: transaction.currency,
    },
  };
}

/** The `data` of a fetch-refund answer: there the transaction is its id only. */
export function fetchedRefundJson(refund: Refund) {
  return { ...refundFields(refund), transaction: refund.transactionId, dispute: null };
}

/** The `data` of a `refund.processed` event. */
export function refundEventJson(refund: Refund, transaction: Transaction) {
  return {
    id: refund.id,
    status: refund.status,
    transaction_reference: transaction.reference,
    refund_reference: `RFD_${refund.id}`,
    amount: refund.amount,
    currency: refund.currency,
    processor: 'local',
    customer: { first_name: null, last_name: null, email: transaction.customer.email },
    integration: INTEGRATION_ID,
    domain: 'test',
  };
}

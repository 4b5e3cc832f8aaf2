/**
 * The emulator's state: transactions, the customers they belong to and their refunds, with
 * the rules Paystack applies to them (unique references, one payment per checkout, refunds
 * no larger than what is left). Everything lives in memory.
 */
import { randomBytes } from 'node:crypto';
import { badRequest, HttpError } from '#local/emulators/http';

export const CURRENCIES = ['NGN', 'GHS', 'ZAR', 'KES', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** `reversed` is what Paystack reports once a transaction has been refunded in full. */
export type TransactionStatus = 'abandoned' | 'success' | 'failed' | 'reversed';
export type Outcome = 'success' | 'failed';

export interface Customer {
  id: number;
  code: string;
  email: string;
}

export interface Transaction {
  id: number;
  reference: string;
  accessCode: string;
  /** Minor units (kobo, pesewas, cents) of `currency`. */
  amount: number;
  currency: Currency;
  customer: Customer;
  callbackUrl: string | null;
  /** As the caller sent it; Paystack answers `""` when there was none. */
  metadata: unknown;
  status: TransactionStatus;
  gatewayResponse: string;
  createdAt: Date;
  paidAt: Date | null;
}

export interface Refund {
  id: number;
  transactionId: number;
  reference: string;
  amount: number;
  currency: Currency;
  status: 'pending' | 'processed';
  customerNote: string;
  merchantNote: string;
  createdAt: Date;
  refundedAt: Date | null;
}

export interface NewTransaction {
  email: string;
  amount: number;
  currency: Currency;
  reference?: string;
  callbackUrl: string | null;
  metadata: unknown;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case letters and digits, the way Paystack's generated references look. */
export function randomCode(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

export type Store = ReturnType<typeof createStore>;

export function createStore() {
  const byReference = new Map<string, Transaction>();
  const byAccessCode = new Map<string, Transaction>();
  const byId = new Map<number, Transaction>();
  const customers = new Map<string, Customer>();
  const refunds = new Map<number, Refund>();
  // Separate ranges, so a client that mixes up a transaction id and a refund id finds nothing.
  let nextTransactionId = 1_000_001;
  let nextRefundId = 3_000_001;
  let nextCustomerId = 9_000_001;

  function customerFor(email: string): Customer {
    const key = email.toLowerCase();
    let customer = customers.get(key);
    if (!customer) {
      customer = { id: nextCustomerId++, code: `CUS_${randomCode(15)}`, email };
      customers.set(key, customer);
    }
    return customer;
  }

  function initialize(input: NewTransaction): Transaction {
    let reference = input.reference;
    if (reference === undefined) {
      do reference = randomCode(10);
      while (byReference.has(reference));
    } else if (byReference.has(reference)) {
      throw badRequest('Duplicate Transaction Reference');
    }
    let accessCode: string;
    do accessCode = randomCode(15);
    while (byAccessCode.has(accessCode));
    const transaction: Transaction = {
      id: nextTransactionId++,
      reference,
      accessCode,
      amount: input.amount,
      currency: input.currency,
      customer: customerFor(input.email),
      callbackUrl: input.callbackUrl,
      metadata: input.metadata,
      status: 'abandoned',
      gatewayResponse: 'The transaction was not completed',
      createdAt: new Date(),
      paidAt: null,
    };
    byReference.set(reference, transaction);
    byAccessCode.set(accessCode, transaction);
    byId.set(transaction.id, transaction);
    return transaction;
  }

  /** The customer's one attempt at the checkout; a second one is refused. */
  function pay(transaction: Transaction, outcome: Outcome): void {
    if (transaction.status !== 'abandoned') {
      throw new HttpError(409, 'This transaction has already been paid for.');
    }
    transaction.status = outcome;
    transaction.gatewayResponse = outcome === 'success' ? 'Successful' : 'Declined';
    transaction.paidAt = new Date();
  }

  /** A reference, or the numeric id Paystack also accepts wherever a transaction is named. */
  function findTransaction(idOrReference: string | number): Transaction | undefined {
    const text = String(idOrReference);
    return byReference.get(text) ?? (/^\d+$/.test(text) ? byId.get(Number(text)) : undefined);
  }

  function refundsOf(transaction: Transaction): Refund[] {
    return [...refunds.values()].filter((refund) => refund.transactionId === transaction.id);
  }

  /** What can still be refunded: the amount less every refund asked for, pending ones too. */
  function unrefunded(transaction: Transaction): number {
    return refundsOf(transaction).reduce(
      (left, refund) => left - refund.amount,
      transaction.amount,
    );
  }

  function createRefund(
    transaction: Transaction,
    amount: number | undefined,
    notes: { customerNote?: string; merchantNote?: string },
  ): Refund {
    const left = unrefunded(transaction);
    if (transaction.status === 'reversed' || left === 0) {
      throw badRequest('Transaction has been fully reversed');
    }
    if (transaction.status !== 'success') {
      throw badRequest('Only a successful transaction can be refunded');
    }
    const value = amount ?? left;
    if (value > left) {
      throw badRequest(
        `Refund amount cannot be more than the unrefunded amount of the transaction (${left})`,
      );
    }
    const defaultNote = `Refund for transaction ${transaction.reference}`;
    const refund: Refund = {
      id: nextRefundId++,
      transactionId: transaction.id,
      reference: transaction.reference,
      amount: value,
      currency: transaction.currency,
      status: 'pending',
      customerNote: notes.customerNote ?? defaultNote,
      merchantNote: notes.merchantNote ?? defaultNote,
      createdAt: new Date(),
      refundedAt: null,
    };
    refunds.set(refund.id, refund);
    return refund;
  }

  function processRefund(refund: Refund): void {
    refund.status = 'processed';
    refund.refundedAt = new Date();
    const transaction = byId.get(refund.transactionId);
    if (!transaction) return;
    const processed = refundsOf(transaction)
      .filter((r) => r.status === 'processed')
      .reduce((sum, r) => sum + r.amount, 0);
    if (processed === transaction.amount) transaction.status = 'reversed';
  }

  return {
    initialize,
    pay,
    findTransaction,
    findByReference: (reference: string) => byReference.get(reference),
    findByAccessCode: (code: string) => byAccessCode.get(code),
    findRefund: (id: number) => refunds.get(id),
    transactionById: (id: number) => byId.get(id),
    createRefund,
    processRefund,
    /** Copies, so a test that inspects them cannot change the emulator's state. */
    transactions: (): Transaction[] =>
      [...byId.values()].map((t) => ({ ...t, customer: { ...t.customer } })),
    refunds: (): Refund[] => [...refunds.values()].map((r) => ({ ...r })),
  };
}

/**
 * Payouts' state: transfer recipients (Nigerian bank accounts) and the transfers sent to them,
 * with Paystack's rules (one recipient per account; a reference is refused while its transfer is
 * under way or succeeded, and may be tried again once it failed or was reversed, which is how
 * Paystack avoids double credit) and the emulator's
 * own: account number 0000000000 always fails, and a test can make a recipient's next
 * transfer end another way. Everything lives in memory.
 */
import { PaystackError } from '#local/emulators/paystack/request';
import { type Currency, randomCode } from '#local/emulators/paystack/store';

/** The account number whose transfers always fail. */
export const FAILING_ACCOUNT = '0000000000';

export interface Recipient {
  id: number;
  code: string;
  type: 'nuban';
  name: string;
  accountNumber: string;
  /** As the bank resolved it. */
  accountName: string;
  bankCode: string;
  bankName: string;
  currency: Currency;
  description: string | null;
  metadata: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export type TransferStatus = 'pending' | 'success' | 'failed' | 'reversed';
/** How a pending transfer ends. */
export type TransferOutcome = Exclude<TransferStatus, 'pending'>;

export interface Transfer {
  id: number;
  code: string;
  reference: string;
  /** Minor units (kobo) of `currency`. */
  amount: number;
  currency: Currency;
  reason: string | null;
  recipientId: number;
  /** Paystack's id for the API request that created the transfer. */
  requestId: number;
  status: TransferStatus;
  /** The NIP session id, once the transfer has left; banks trace credits by it. */
  sessionId: string | null;
  /** Why the transfer did not succeed; null otherwise. */
  gatewayResponse: string | null;
  createdAt: Date;
  updatedAt: Date;
  transferredAt: Date | null;
}

export interface NewRecipient {
  name: string;
  accountNumber: string;
  accountName: string;
  bankCode: string;
  bankName: string;
  currency: Currency;
  description: string | null;
  metadata: unknown;
}

export interface NewTransfer {
  amount: number;
  currency: Currency;
  reason: string | null;
  reference?: string;
  recipient: Recipient;
}

const GATEWAY_RESPONSES: Record<TransferOutcome, string | null> = {
  success: null,
  failed: 'Transfer failed: the beneficiary account could not be credited',
  reversed: 'Transfer reversed: the beneficiary bank could not receive the credit',
};

const digits = (length: number) =>
  Array.from({ length }, () => Math.floor(Math.random() * 10)).join('');

export type TransferStore = ReturnType<typeof createTransferStore>;

export function createTransferStore() {
  const recipients = new Map<number, Recipient>();
  const recipientsByCode = new Map<string, Recipient>();
  const recipientsByAccount = new Map<string, Recipient>();
  const transfers = new Map<number, Transfer>();
  const transfersByCode = new Map<string, Transfer>();
  const transfersByReference = new Map<string, Transfer>();
  /** Decided when a transfer is initiated, applied when it settles. */
  const outcomes = new Map<number, TransferOutcome>();
  /** Set by a test: how the recipient's next transfer ends. */
  const nextOutcomes = new Map<number, TransferOutcome>();
  // Separate ranges, so that an id of one kind never finds a record of another.
  let nextRecipientId = 5_000_001;
  let nextTransferId = 7_000_001;
  let nextRequestId = 8_000_001;

  const accountKey = (bankCode: string, accountNumber: string, currency: Currency) =>
    `${bankCode}:${accountNumber}:${currency}`;

  /** Paystack keeps one recipient per account: asking again returns the one it has. */
  function createRecipient(input: NewRecipient): { recipient: Recipient; created: boolean } {
    const key = accountKey(input.bankCode, input.accountNumber, input.currency);
    const existing = recipientsByAccount.get(key);
    if (existing) return { recipient: existing, created: false };
    let code: string;
    do code = `RCP_${randomCode(15)}`;
    while (recipientsByCode.has(code));
    const now = new Date();
    const recipient: Recipient = {
      id: nextRecipientId++,
      code,
      type: 'nuban',
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    recipients.set(recipient.id, recipient);
    recipientsByCode.set(code, recipient);
    recipientsByAccount.set(key, recipient);
    return { recipient, created: true };
  }

  /** A recipient code, or the numeric id Paystack also accepts. */
  function findRecipient(idOrCode: string): Recipient | undefined {
    return (
      recipientsByCode.get(idOrCode) ??
      (/^\d+$/.test(idOrCode) ? recipients.get(Number(idOrCode)) : undefined)
    );
  }

  function initiate(input: NewTransfer): Transfer {
    let reference = input.reference;
    if (reference === undefined) {
      do reference = randomCode(16);
      while (transfersByReference.has(reference));
    } else {
      const prior = transfersByReference.get(reference);
      if (prior && prior.status !== 'failed' && prior.status !== 'reversed') {
        throw new PaystackError(400, 'Duplicate Transfer Reference', {
          code: 'duplicate_reference',
          nextStep: 'This reference belongs to a transfer under way or done: do not send it again',
        });
      }
    }
    let code: string;
    do code = `TRF_${randomCode(16)}`;
    while (transfersByCode.has(code));
    const now = new Date();
    const transfer: Transfer = {
      id: nextTransferId++,
      code,
      reference,
      amount: input.amount,
      currency: input.currency,
      reason: input.reason,
      recipientId: input.recipient.id,
      requestId: nextRequestId++,
      status: 'pending',
      sessionId: null,
      gatewayResponse: null,
      createdAt: now,
      updatedAt: now,
      transferredAt: null,
    };
    const planned = nextOutcomes.get(input.recipient.id);
    nextOutcomes.delete(input.recipient.id);
    outcomes.set(
      transfer.id,
      input.recipient.accountNumber === FAILING_ACCOUNT ? 'failed' : (planned ?? 'success'),
    );
    transfers.set(transfer.id, transfer);
    transfersByCode.set(code, transfer);
    transfersByReference.set(reference, transfer);
    return transfer;
  }

  /** Ends a pending transfer the way it was decided when it was initiated. */
  function settle(transfer: Transfer): TransferOutcome {
    const outcome = outcomes.get(transfer.id) ?? 'success';
    outcomes.delete(transfer.id);
    const now = new Date();
    transfer.status = outcome;
    transfer.gatewayResponse = GATEWAY_RESPONSES[outcome];
    transfer.updatedAt = now;
    if (outcome !== 'failed') {
      transfer.sessionId = `1000042${digits(23)}`;
      transfer.transferredAt = now;
    }
    return outcome;
  }

  /** Makes the recipient's next transfer end `outcome` instead of succeeding. */
  function setNextOutcome(recipientCode: string, outcome: TransferOutcome): void {
    const recipient = recipientsByCode.get(recipientCode);
    if (!recipient) throw new Error(`local Paystack has no recipient ${recipientCode}`);
    nextOutcomes.set(recipient.id, outcome);
  }

  /** A transfer code, or the numeric id Paystack also accepts. */
  function findTransfer(idOrCode: string): Transfer | undefined {
    return (
      transfersByCode.get(idOrCode) ??
      (/^\d+$/.test(idOrCode) ? transfers.get(Number(idOrCode)) : undefined)
    );
  }

  return {
    createRecipient,
    findRecipient,
    recipientById: (id: number) => recipients.get(id),
    initiate,
    settle,
    setNextOutcome,
    findTransfer,
    findByReference: (reference: string) => transfersByReference.get(reference),
    /** Newest first, as Paystack lists them. */
    listTransfers: (): Transfer[] => [...transfers.values()].reverse(),
    listRecipients: (): Recipient[] => [...recipients.values()].reverse(),
    /** Copies, so a test that inspects them cannot change the emulator's state. */
    transfers: (): Transfer[] => [...transfers.values()].map((t) => ({ ...t })),
    recipients: (): Recipient[] => [...recipients.values()].map((r) => ({ ...r })),
  };
}

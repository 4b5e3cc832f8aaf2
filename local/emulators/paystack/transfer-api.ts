/**
 * The payout routes of the secret-key API: list banks and resolve an account, create and
 * fetch transfer recipients, initiate, list, fetch and verify transfers. A transfer is
 * `pending` when initiated and settles `transferDelayMs` later, sending its `transfer.*` event.
 */
import type http from 'node:http';
import { badRequest, HttpError } from '#local/emulators/http';
import type { Answer, PaystackContext } from '#local/emulators/paystack/api';
import { accountName, BANKS, bankJson, findBank, NUBAN } from '#local/emulators/paystack/banks';
import {
  optionalString,
  type Payload,
  PaystackError,
  parseAmount,
  parseCurrency,
  readPayload,
  requiredString,
} from '#local/emulators/paystack/request';
import {
  createdTransferJson,
  recipientJson,
  transferEventJson,
  transferJson,
} from '#local/emulators/paystack/transfer-json';
import type { Recipient, Transfer } from '#local/emulators/paystack/transfers';

/** Paystack's rule for a transfer reference: 16 to 50 of a-z, 0-9, `-` and `_`. */
const TRANSFER_REFERENCE = /^[a-z0-9_-]{16,50}$/;
const DEFAULT_PER_PAGE = 50;
const MAX_BANKS_PER_PAGE = 100;
const OTHER_RECIPIENT_TYPES = ['ghipss', 'mobile_money', 'basa', 'kepss', 'authorization'];

/** A whole number above zero from the query, or `fallback` when absent or not one. */
function positive(query: URLSearchParams, names: string[], fallback: number): number {
  for (const name of names) {
    const text = query.get(name);
    if (text !== null && /^\d+$/.test(text) && Number(text) > 0) return Number(text);
  }
  return fallback;
}

/** Paystack's offset pagination: `page` and `perPage` in, `meta` with the totals out. */
function paginate<T>(items: T[], query: URLSearchParams) {
  const page = positive(query, ['page'], 1);
  const perPage = positive(query, ['perPage', 'per_page'], DEFAULT_PER_PAGE);
  const skipped = (page - 1) * perPage;
  return {
    items: items.slice(skipped, skipped + perPage),
    meta: {
      total: items.length,
      skipped,
      perPage,
      page,
      pageCount: Math.ceil(items.length / perPage),
    },
  };
}

const bankCursor = (id: number) => Buffer.from(`bank:${id}`).toString('base64');

function cursorId(cursor: string): number {
  const match = /^bank:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw badRequest('Invalid cursor');
  return Number(match[1]);
}

/** The banks, newest id first as Paystack lists them, a cursor page at a time. */
function listBanks(query: URLSearchParams): Answer {
  const country = query.get('country');
  const currency = query.get('currency');
  const type = query.get('type');
  // None of the banks here is a pay-with-bank or a mandate gateway: such filters match none.
  const excluded =
    (country !== null && country.toLowerCase() !== 'nigeria') ||
    (currency !== null && currency.toUpperCase() !== 'NGN') ||
    (type !== null && type !== 'nuban') ||
    query.get('pay_with_bank') === 'true' ||
    query.get('pay_with_bank_transfer') === 'true' ||
    query.get('gateway') !== null;
  const banks = excluded ? [] : [...BANKS].sort((a, b) => b.id - a.id);
  const perPage = Math.min(positive(query, ['perPage'], DEFAULT_PER_PAGE), MAX_BANKS_PER_PAGE);
  const next = query.get('next');
  const previous = query.get('previous');
  // Where the page starts: after the bank a `next` cursor names, or a page before the
  // bank a `previous` cursor names.
  const after = (id: number) => {
    const index = banks.findIndex((bank) => bank.id < id);
    return index === -1 ? banks.length : index;
  };
  const start = next
    ? after(cursorId(next))
    : previous
      ? Math.max(0, after(cursorId(previous) + 1) - perPage)
      : 0;
  const page = banks.slice(start, start + perPage);
  const first = page[0];
  const last = page.at(-1);
  return {
    message: 'Banks retrieved',
    data: page.map(bankJson),
    meta: {
      next: last && start + perPage < banks.length ? bankCursor(last.id) : null,
      previous: first && start > 0 ? bankCursor(first.id) : null,
      perPage,
    },
  };
}

function resolveAccount(query: URLSearchParams): Answer {
  const accountNumber = query.get('account_number') ?? '';
  const bank = findBank(query.get('bank_code') ?? '');
  if (!bank || !NUBAN.test(accountNumber)) {
    throw new HttpError(422, 'Could not resolve account name. Check parameters or try again.');
  }
  return {
    message: 'Account number resolved',
    data: {
      account_number: accountNumber,
      account_name: accountName(accountNumber),
      bank_id: bank.id,
    },
  };
}

async function createRecipient(ctx: PaystackContext, req: http.IncomingMessage): Promise<Answer> {
  const payload = await readPayload(req);
  const type = requiredString(payload, 'type', 'Recipient type');
  if (OTHER_RECIPIENT_TYPES.includes(type)) {
    throw badRequest(`Local Paystack only emulates nuban recipients, not ${type}`);
  }
  if (type !== 'nuban') throw badRequest('Invalid recipient type');
  const name = requiredString(payload, 'name', 'Name');
  const accountNumber = requiredString(payload, 'account_number', 'Account number');
  const bankCode = requiredString(payload, 'bank_code', 'Bank code');
  const currency = parseCurrency(payload.currency) ?? 'NGN';
  if (currency !== 'NGN') throw badRequest('A nuban recipient takes NGN only');
  const bank = findBank(bankCode);
  if (!bank) throw badRequest('Invalid bank code');
  if (!NUBAN.test(accountNumber)) throw badRequest('Cannot resolve account');
  const metadata = payload.metadata;
  const { recipient, created } = ctx.transfers.createRecipient({
    name,
    accountNumber,
    accountName: accountName(accountNumber),
    bankCode,
    bankName: bank.name,
    currency,
    description: optionalString(payload, 'description') ?? null,
    metadata: typeof metadata === 'object' && metadata !== null ? metadata : null,
  });
  return {
    statusCode: created ? 201 : 200,
    message: 'Transfer recipient created successfully',
    data: recipientJson(recipient),
  };
}

function parseTransfer(ctx: PaystackContext, payload: Payload) {
  const source = requiredString(payload, 'source', 'Source');
  if (source !== 'balance') throw badRequest('Invalid source: only balance is supported');
  if (payload.amount === undefined || payload.amount === '') {
    throw badRequest('Amount is required');
  }
  const amount = parseAmount(payload.amount);
  if (amount === undefined) throw badRequest('Invalid Amount Sent');
  const reference = optionalString(payload, 'reference');
  if (reference !== undefined && !TRANSFER_REFERENCE.test(reference)) {
    throw badRequest(
      'Invalid transfer reference: use 16 to 50 lowercase letters (a-z), digits (0-9), - and _',
    );
  }
  const code = optionalString(payload, 'recipient');
  const recipient = code?.startsWith('RCP_') ? ctx.transfers.findRecipient(code) : undefined;
  if (!recipient) {
    throw new PaystackError(400, 'Recipient specified is invalid', {
      code: 'invalid_transfer_recipient',
      nextStep:
        'Provide a valid recipient. Ensure you are passing the recipient code in the recipient param',
    });
  }
  const currency = parseCurrency(payload.currency) ?? 'NGN';
  if (currency !== recipient.currency) {
    throw badRequest(`Currency must match the recipient's currency (${recipient.currency})`);
  }
  return {
    amount,
    currency,
    reason: optionalString(payload, 'reason') ?? null,
    ...(reference !== undefined && { reference }),
    recipient,
  };
}

async function initiate(ctx: PaystackContext, req: http.IncomingMessage): Promise<Answer> {
  const input = parseTransfer(ctx, await readPayload(req));
  const transfer = ctx.transfers.initiate(input);
  ctx.later(() => {
    const outcome = ctx.transfers.settle(transfer);
    ctx.webhooks.send(`transfer.${outcome}`, transferEventJson(transfer, input.recipient));
  }, ctx.transferDelayMs);
  return { message: 'Transfer has been queued', data: createdTransferJson(transfer) };
}

function withRecipient(ctx: PaystackContext, transfer: Transfer) {
  const recipient = ctx.transfers.recipientById(transfer.recipientId) as Recipient;
  return transferJson(transfer, recipient);
}

function listTransfers(ctx: PaystackContext, query: URLSearchParams): Answer {
  const status = query.get('status');
  const named = query.get('recipient');
  const recipient = named === null ? undefined : ctx.transfers.findRecipient(named);
  const transfers = ctx.transfers
    .listTransfers()
    .filter((t) => status === null || t.status === status)
    .filter((t) => named === null || t.recipientId === recipient?.id);
  const { items, meta } = paginate(transfers, query);
  return {
    message: 'Transfers retrieved',
    data: items.map((t) => withRecipient(ctx, t)),
    meta,
  };
}

function found(ctx: PaystackContext, transfer: Transfer | undefined): Answer {
  if (!transfer) throw new HttpError(404, 'Transfer not found');
  return { message: 'Transfer retrieved', data: withRecipient(ctx, transfer) };
}

/** The answer to a payout route, or undefined when `path` is none of them. */
export async function answerPayouts(
  ctx: PaystackContext,
  req: http.IncomingMessage,
  path: string,
): Promise<Answer | undefined> {
  const method = req.method ?? 'GET';
  const query = new URL(req.url ?? '/', 'http://local').searchParams;
  if (method === 'GET' && path === '/bank') return listBanks(query);
  if (method === 'GET' && path === '/bank/resolve') return resolveAccount(query);
  if (method === 'POST' && path === '/transferrecipient') return createRecipient(ctx, req);
  if (method === 'GET' && path === '/transferrecipient') {
    const { items, meta } = paginate(ctx.transfers.listRecipients(), query);
    return { message: 'Recipients retrieved', data: items.map(recipientJson), meta };
  }
  if (method === 'GET' && path.startsWith('/transferrecipient/')) {
    const named = decodeURIComponent(path.slice('/transferrecipient/'.length));
    const recipient = ctx.transfers.findRecipient(named);
    if (!recipient) throw new HttpError(404, 'Recipient not found');
    return { message: 'Recipient retrieved', data: recipientJson(recipient) };
  }
  if (method === 'POST' && path === '/transfer') return initiate(ctx, req);
  if (method === 'GET' && path === '/transfer') return listTransfers(ctx, query);
  if (method === 'GET' && path.startsWith('/transfer/verify/')) {
    const reference = decodeURIComponent(path.slice('/transfer/verify/'.length));
    return found(ctx, ctx.transfers.findByReference(reference));
  }
  if (method === 'GET' && path.startsWith('/transfer/')) {
    const named = decodeURIComponent(path.slice('/transfer/'.length));
    return found(ctx, ctx.transfers.findTransfer(named));
  }
  return undefined;
}

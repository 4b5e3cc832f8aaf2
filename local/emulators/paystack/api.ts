/**
 * The secret-key API: initialize, verify and fetch a transaction; create and fetch a refund;
 * and, through `transfer-api`, the payout routes. Answers use Paystack's envelope,
 * `{ status, message, data, meta? }`; refusals are HttpErrors that the server turns into
 * `{ status: false, message }`.
 */
import type http from 'node:http';
import { badRequest, HttpError, sendJson } from '#local/emulators/http';
import {
  createdRefundJson,
  fetchedRefundJson,
  refundEventJson,
  transactionJson,
} from '#local/emulators/paystack/json';
import {
  optionalString,
  type Payload,
  parseAmount,
  parseCurrency,
  readPayload,
} from '#local/emulators/paystack/request';
import type { Store } from '#local/emulators/paystack/store';
import { answerPayouts } from '#local/emulators/paystack/transfer-api';
import type { TransferStore } from '#local/emulators/paystack/transfers';
import type { Webhooks } from '#local/emulators/paystack/webhooks';

export interface PaystackContext {
  secretKey: string;
  /** Where the customer's browser reaches the checkout pages. */
  publicUrl: string;
  store: Store;
  transfers: TransferStore;
  webhooks: Webhooks;
  /** How long a refund stays pending before it is processed. */
  refundDelayMs: number;
  /** How long a transfer stays pending before it settles. */
  transferDelayMs: number;
  /** Runs `fn` after `ms`, unless the emulator closes first. */
  later(fn: () => void, ms: number): void;
}

/** What a route answers inside the envelope; 200 unless it says otherwise. */
export interface Answer {
  statusCode?: number;
  message: string;
  data: unknown;
  meta?: unknown;
}

const REFERENCE = /^[A-Za-z0-9.=-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseInitialize(payload: Payload) {
  const email = payload.email;
  if (email === undefined || email === '') throw badRequest('Email is required');
  if (typeof email !== 'string' || !EMAIL.test(email.trim())) {
    throw badRequest('Invalid Email Address Passed');
  }
  if (payload.amount === undefined || payload.amount === '') {
    throw badRequest('Amount is required');
  }
  const amount = parseAmount(payload.amount);
  if (amount === undefined) throw badRequest('Invalid Amount Sent');
  const reference = optionalString(payload, 'reference');
  if (reference !== undefined && !REFERENCE.test(reference)) {
    throw badRequest('Invalid reference: only -, ., = and alphanumeric characters are allowed');
  }
  const callbackUrl = optionalString(payload, 'callback_url') ?? null;
  if (callbackUrl !== null && !/^https?:$/.test(URL.parse(callbackUrl)?.protocol ?? '')) {
    throw badRequest('callback_url must be an http or https URL');
  }
  return {
    email: email.trim(),
    amount,
    currency: parseCurrency(payload.currency) ?? 'NGN',
    ...(reference !== undefined && { reference }),
    callbackUrl,
    metadata: payload.metadata ?? '',
  };
}

async function initialize(ctx: PaystackContext, req: http.IncomingMessage) {
  const transaction = ctx.store.initialize(parseInitialize(await readPayload(req)));
  return {
    message: 'Authorization URL created',
    data: {
      authorization_url: `${ctx.publicUrl}/checkout/${transaction.accessCode}`,
      access_code: transaction.accessCode,
      reference: transaction.reference,
    },
  };
}

async function refund(ctx: PaystackContext, req: http.IncomingMessage) {
  const payload = await readPayload(req);
  const named = payload.transaction;
  if (named === undefined || named === '' || !['string', 'number'].includes(typeof named)) {
    throw badRequest('Transaction reference or id is required');
  }
  const transaction = ctx.store.findTransaction(named as string | number);
  if (!transaction) throw badRequest('Transaction not found');
  let amount: number | undefined;
  if (payload.amount !== undefined && payload.amount !== '') {
    amount = parseAmount(payload.amount);
    if (amount === undefined) throw badRequest('Invalid Amount Sent');
  }
  const currency = parseCurrency(payload.currency);
  if (currency !== undefined && currency !== transaction.currency) {
    throw badRequest(`Currency must match the transaction's currency (${transaction.currency})`);
  }
  const created = ctx.store.createRefund(transaction, amount, {
    customerNote: optionalString(payload, 'customer_note'),
    merchantNote: optionalString(payload, 'merchant_note'),
  });
  ctx.later(() => {
    ctx.store.processRefund(created);
    ctx.webhooks.send('refund.processed', refundEventJson(created, transaction));
  }, ctx.refundDelayMs);
  return {
    message: 'Refund has been queued for processing',
    data: createdRefundJson(created, transaction),
  };
}

function transactionData(ctx: PaystackContext, reference: string) {
  // Verify finds a transaction by its reference only, not by its id.
  const transaction = ctx.store.findByReference(reference);
  if (!transaction) throw badRequest('Transaction reference not found');
  return { message: 'Verification successful', data: transactionJson(transaction) };
}

function byId(path: string, prefix: string): number | undefined {
  const rest = path.slice(prefix.length);
  return path.startsWith(prefix) && /^\d+$/.test(rest) ? Number(rest) : undefined;
}

async function answer(
  ctx: PaystackContext,
  req: http.IncomingMessage,
  path: string,
): Promise<Answer> {
  const method = req.method ?? 'GET';
  if (method === 'POST' && path === '/transaction/initialize') return initialize(ctx, req);
  if (method === 'POST' && path === '/refund') return refund(ctx, req);
  if (method === 'GET' && path.startsWith('/transaction/verify/')) {
    return transactionData(ctx, decodeURIComponent(path.slice('/transaction/verify/'.length)));
  }
  const transactionId = byId(path, '/transaction/');
  if (method === 'GET' && transactionId !== undefined) {
    const transaction = ctx.store.transactionById(transactionId);
    if (!transaction) throw new HttpError(404, 'Transaction not found');
    return { message: 'Transaction retrieved', data: transactionJson(transaction) };
  }
  const refundId = byId(path, '/refund/');
  if (method === 'GET' && refundId !== undefined) {
    const found = ctx.store.findRefund(refundId);
    if (!found) throw new HttpError(404, 'Refund not found');
    return { message: 'Refund retrieved', data: fetchedRefundJson(found) };
  }
  const payout = await answerPayouts(ctx, req, path);
  if (payout) return payout;
  throw new HttpError(404, `${method} ${path} is not a route of local Paystack`);
}

export async function routeApi(
  ctx: PaystackContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<void> {
  if (req.headers.authorization !== `Bearer ${ctx.secretKey}`) {
    throw new HttpError(401, 'Invalid key');
  }
  const { statusCode = 200, message, data, meta } = await answer(ctx, req, path);
  sendJson(res, statusCode, { status: true, message, data, ...(meta !== undefined && { meta }) });
}

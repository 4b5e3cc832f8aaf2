/**
 * A local stand-in for Paystack: the secret-key API a fetch-based client calls (initialize,
 * verify and fetch transactions; create and fetch refunds; list banks and resolve an
 * account; create, list and fetch nuban transfer recipients; initiate, list, fetch and verify
 * transfers), a checkout page in place of Paystack's, and signed webhooks (`charge.success`,
 * `refund.processed`, `transfer.success`, `transfer.failed`, `transfer.reversed`) retried the
 * way Paystack retries them. State lives in memory.
 *
 * Payouts: transfers to account number 0000000000 always fail (mind that Paystack's own test
 * mode documents that number at Zenith Bank as its test transfer account), and
 * `setNextTransferOutcome` makes a recipient's next transfer end `failed` or `reversed`. The
 * bank list is ten Nigerian banks; any ten-digit number at one of them resolves to a made-up
 * holder, the same name for the same number.
 *
 * Not emulated: customers, plans, subscriptions, charge, bulk transfers, transfer OTP and
 * finalize, the balance (a transfer never runs out of funds) and the other APIs (they answer
 * 404); recipients other than nuban; from/to filters and cursors on the transfer and
 * recipient lists; card details, fees, and the `refund.pending`/`refund.processing` events.
 */
import http from 'node:http';
import { HttpError, listen, sendJson, stop } from '#local/emulators/http';
import { type PaystackContext, routeApi } from '#local/emulators/paystack/api';
import { routeCheckout, sendErrorPage } from '#local/emulators/paystack/checkout';
import { PaystackError } from '#local/emulators/paystack/request';
import { createStore, type Refund, type Transaction } from '#local/emulators/paystack/store';
import {
  createTransferStore,
  type Recipient,
  type Transfer,
  type TransferOutcome,
} from '#local/emulators/paystack/transfers';
import { createWebhooks, type Delivery } from '#local/emulators/paystack/webhooks';

export type { Refund, Transaction } from '#local/emulators/paystack/store';
export type {
  Recipient,
  Transfer,
  TransferOutcome,
  TransferStatus,
} from '#local/emulators/paystack/transfers';
export type { Delivery } from '#local/emulators/paystack/webhooks';
export { signPayload } from '#local/emulators/paystack/webhooks';

/**
 * Paystack itself retries every 3 minutes, then hourly for 72 hours; locally a developer
 * wants to see a retry within seconds.
 */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000, 10_000, 30_000, 60_000];
const DEFAULT_REFUND_DELAY_MS = 1_000;
const DEFAULT_TRANSFER_DELAY_MS = 500;

export interface PaystackOptions {
  secretKey: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Where events are POSTed, e.g. `${PUBLIC_API_URL}/webhooks/paystack`. */
  webhookUrl: string;
  /** Wait before each retry of an event the receiver did not answer 200; one entry a retry. */
  retryDelaysMs?: number[];
  /** The base of `authorization_url`, when the browser reaches this server by another name. */
  publicUrl?: string;
  /** How long a refund stays `pending` before it is processed; default 1 s. */
  refundDelayMs?: number;
  /** How long a transfer stays `pending` before it settles and its event is sent; 500 ms. */
  transferDelayMs?: number;
  log?: (line: string) => void;
}

export interface LocalPaystack {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every transaction initialized so far (copies). */
  transactions(): Transaction[];
  /** Every refund asked for so far (copies). */
  refunds(): Refund[];
  /** Every transfer initiated so far, oldest first (copies). */
  transfers(): Transfer[];
  /** Every transfer recipient created so far, oldest first (copies). */
  recipients(): Recipient[];
  /**
   * Makes the next transfer initiated to this recipient end `outcome` instead of `success`
   * (account 0000000000 fails regardless). Throws for an unknown recipient code.
   */
  setNextTransferOutcome(recipientCode: string, outcome: Exclude<TransferOutcome, 'success'>): void;
  /** Every webhook attempt so far, retries included, in order. */
  deliveries(): Delivery[];
}

/** The `meta`, `type` and `code` Paystack adds to some refusals. */
function paystackDetails(error: unknown) {
  if (!(error instanceof PaystackError)) return {};
  return { meta: { nextStep: error.nextStep }, type: error.type, code: error.code };
}

export async function startPaystack(options: PaystackOptions): Promise<LocalPaystack> {
  const log = options.log ?? (() => {});
  const store = createStore();
  const transfers = createTransferStore();
  const webhooks = createWebhooks({
    url: options.webhookUrl,
    secretKey: options.secretKey,
    retryDelaysMs: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    log,
  });
  const timers = new Set<NodeJS.Timeout>();
  const ctx: PaystackContext = {
    secretKey: options.secretKey,
    publicUrl: '',
    store,
    transfers,
    webhooks,
    refundDelayMs: options.refundDelayMs ?? DEFAULT_REFUND_DELAY_MS,
    transferDelayMs: options.transferDelayMs ?? DEFAULT_TRANSFER_DELAY_MS,
    later(fn, ms) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
  };

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const isCheckout = path.startsWith('/checkout/');
    const handled = isCheckout ? routeCheckout(ctx, req, res, path) : routeApi(ctx, req, res, path);
    handled.catch((error: unknown) => {
      const status =
        error instanceof HttpError ? error.statusCode : error instanceof URIError ? 400 : 500;
      if (status === 500) log(`paystack: internal error: ${(error as Error).stack ?? error}`);
      const message = status === 500 ? 'An error occurred' : (error as Error).message;
      if (isCheckout) sendErrorPage(res, status, message);
      else sendJson(res, status, { status: false, message, ...paystackDetails(error) });
    });
  });
  const port = await listen(server, options.port);
  const url = `http://127.0.0.1:${port}`;
  ctx.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  log(`paystack: listening on ${url}, sending events to ${options.webhookUrl}`);

  let closed = false;
  return {
    url,
    port,
    transactions: store.transactions,
    refunds: store.refunds,
    transfers: transfers.transfers,
    recipients: transfers.recipients,
    setNextTransferOutcome: transfers.setNextOutcome,
    deliveries: () => [...webhooks.deliveries],
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      webhooks.close();
      await stop(server);
    },
  };
}

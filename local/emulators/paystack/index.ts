/**
 * A local stand-in for Paystack: the secret-key API a fetch-based client calls (initialize,
 * verify and fetch transactions; create and fetch refunds), a checkout page in place of
 * Paystack's, and signed webhooks (`charge.success`, `refund.processed`) retried the way
 * Paystack retries them. State lives in memory.
 *
 * Not emulated: customers, plans, subscriptions, transfers, charge and the other APIs (they
 * answer 404), card details, fees, and the `refund.pending`/`refund.processing` events.
 */
import http from 'node:http';
import { HttpError, listen, sendJson, stop } from '#local/emulators/http';
import { type PaystackContext, routeApi } from '#local/emulators/paystack/api';
import { routeCheckout, sendErrorPage } from '#local/emulators/paystack/checkout';
import { createStore, type Refund, type Transaction } from '#local/emulators/paystack/store';
import { createWebhooks, type Delivery } from '#local/emulators/paystack/webhooks';

export type { Refund, Transaction } from '#local/emulators/paystack/store';
export type { Delivery } from '#local/emulators/paystack/webhooks';
export { signPayload } from '#local/emulators/paystack/webhooks';

/**
 * Paystack itself retries every 3 minutes, then hourly for 72 hours; locally a developer
 * wants to see a retry within seconds.
 */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 3_000, 10_000, 30_000, 60_000];
const DEFAULT_REFUND_DELAY_MS = 1_000;

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
  /** Every webhook attempt so far, retries included, in order. */
  deliveries(): Delivery[];
}

export async function startPaystack(options: PaystackOptions): Promise<LocalPaystack> {
  const log = options.log ?? (() => {});
  const store = createStore();
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
    webhooks,
    refundDelayMs: options.refundDelayMs ?? DEFAULT_REFUND_DELAY_MS,
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
      else sendJson(res, status, { status: false, message });
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

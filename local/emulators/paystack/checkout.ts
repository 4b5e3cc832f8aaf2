/**
 * The page behind `authorization_url`: where Paystack would take the customer's card, this
 * one offers two buttons, a successful payment and a declined one. Paying sends the
 * `charge.success` event (a declined card sends none, as on Paystack) and takes the browser
 * back to the `callback_url` with `?trxref=<ref>&reference=<ref>`.
 */
import type http from 'node:http';
import { HttpError, readBody, send } from '#local/emulators/http';
import type { PaystackContext } from '#local/emulators/paystack/api';
import { transactionJson } from '#local/emulators/paystack/json';
import type { Transaction } from '#local/emulators/paystack/store';

const MAX_FORM_BYTES = 16 * 1024;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** `NGN 5,000.00` from 500000 kobo, in integers only: no float ever touches the amount. */
export function formatAmount(amount: number, currency: string): string {
  const minor = amount % 100;
  const major = (amount - minor) / 100;
  return `${currency} ${major.toLocaleString('en-US')}.${String(minor).padStart(2, '0')}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Local Paystack</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #011b33; }
.mode { font-size: .8rem; color: #777; text-transform: uppercase; letter-spacing: .05em; }
.amount { font-size: 2rem; font-weight: 600; margin: .25rem 0; }
button { font: inherit; padding: .6rem 1.2rem; margin-right: .5rem; border-radius: .4rem; border: 0; cursor: pointer; color: #fff; }
button[value="success"] { background: #09a5db; }
button[value="failed"] { background: #c0392b; }
</style>
</head>
<body>
<p class="mode">Local Paystack · test mode</p>
${body}
</body>
</html>
`;
}

function sendPage(res: http.ServerResponse, status: number, html: string): void {
  send(res, status, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
}

export function sendErrorPage(res: http.ServerResponse, status: number, message: string): void {
  sendPage(res, status, page('Payment', `<h1>Payment</h1>\n<p>${escapeHtml(message)}</p>`));
}

function summary(transaction: Transaction): string {
  return `<p class="amount">${escapeHtml(formatAmount(transaction.amount, transaction.currency))}</p>
<p>${escapeHtml(transaction.customer.email)}</p>
<p>Reference: <code>${escapeHtml(transaction.reference)}</code></p>`;
}

function checkoutPage(transaction: Transaction): string {
  if (transaction.status !== 'abandoned') {
    return page(
      'Payment',
      `<h1>Payment</h1>\n${summary(transaction)}\n<p>This transaction is complete: ${transaction.status}.</p>`,
    );
  }
  return page(
    'Pay',
    `<h1>Pay</h1>
${summary(transaction)}
<form method="post">
<button type="submit" name="outcome" value="success">Pay successfully</button>
<button type="submit" name="outcome" value="failed">Decline the card</button>
</form>`,
  );
}

function donePage(transaction: Transaction): string {
  const result = transaction.status === 'success' ? 'Payment successful' : 'Payment failed';
  return page(
    result,
    `<h1>${result}</h1>\n${summary(transaction)}\n<p>You can close this window.</p>`,
  );
}

export async function routeCheckout(
  ctx: PaystackContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<void> {
  const transaction = ctx.store.findByAccessCode(
    decodeURIComponent(path.slice('/checkout/'.length)),
  );
  if (!transaction) throw new HttpError(404, 'This payment link is not valid.');
  if (req.method === 'GET' || req.method === 'HEAD') {
    return sendPage(res, 200, checkoutPage(transaction));
  }
  if (req.method !== 'POST') throw new HttpError(405, 'Use the payment page to pay.');

  const form = new URLSearchParams(
    (await readBody(req, { limit: MAX_FORM_BYTES })).toString('utf8'),
  );
  const outcome = form.get('outcome');
  if (outcome !== 'success' && outcome !== 'failed') {
    throw new HttpError(400, 'Choose a successful or a declined payment.');
  }
  ctx.store.pay(transaction, outcome);
  if (outcome === 'success') ctx.webhooks.send('charge.success', transactionJson(transaction));

  if (!transaction.callbackUrl) return sendPage(res, 200, donePage(transaction));
  const target = new URL(transaction.callbackUrl);
  target.searchParams.set('trxref', transaction.reference);
  target.searchParams.set('reference', transaction.reference);
  send(res, 302, undefined, { location: target.toString(), 'cache-control': 'no-store' });
}

import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPaystack, startPaystack } from '#local/emulators/paystack/index';

const SECRET = 'sk_test_local_paystack_transfers';
const TRANSFER_DELAY_MS = 30;

interface Event {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: events are checked field by field below.
  data: any;
}

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  event: Event;
}

const received: Received[] = [];
/** What the receiver answers to the nth (1-based) event about a transfer reference. */
const answers = new Map<string, (nth: number) => number>();
let receiver: http.Server;
let webhookUrl: string;
let paystack: LocalPaystack;
let sequence = 0;
let accounts = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** At least 16 characters of a-z, 0-9 and `-`, as Paystack wants a transfer reference. */
const newReference = () => `local-payout-${process.pid}-${++sequence}`;
/** A ten-digit account number no other test uses. */
const newAccount = () => `01${String(++accounts).padStart(8, '0')}`;
const eventsFor = (reference: string) =>
  received.filter((r) => r.event.data.reference === reference);
const hmac = (body: Buffer | string) => createHmac('sha512', SECRET).update(body).digest('hex');

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function api(
  path: string,
  options: { body?: unknown; key?: string | null } = {},
  emulator = paystack,
) {
  const key = options.key === undefined ? SECRET : options.key;
  const hasBody = options.body !== undefined;
  const res = await fetch(`${emulator.url}${path}`, {
    method: hasBody ? 'POST' : 'GET',
    headers: {
      ...(key !== null && { authorization: `Bearer ${key}` }),
      ...(hasBody && { 'content-type': 'application/json' }),
    },
    ...(hasBody && { body: JSON.stringify(options.body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below.
  return { status: res.status, body: (await res.json()) as any };
}

async function createRecipient(
  fields: Record<string, unknown> = {},
  emulator = paystack,
): Promise<{ recipient_code: string; id: number }> {
  const res = await api(
    '/transferrecipient',
    {
      body: {
        type: 'nuban',
        name: 'Ada Host',
        account_number: newAccount(),
        bank_code: '058',
        currency: 'NGN',
        ...fields,
      },
    },
    emulator,
  );
  expect(res.status).toBe(201);
  return res.body.data;
}

async function initiate(recipient: string, fields: Record<string, unknown> = {}) {
  const reference = newReference();
  const res = await api('/transfer', {
    body: {
      source: 'balance',
      amount: 1_234_567,
      recipient,
      reason: 'Payout for booking b1',
      reference,
      ...fields,
    },
  });
  return { reference, ...res };
}

/** The one event a transfer sends, once it has settled. */
async function settled(reference: string): Promise<Received> {
  const [hook] = await until(
    () => eventsFor(reference).length > 0 && eventsFor(reference),
    `the event of ${reference}`,
  );
  return hook as Received;
}

beforeAll(async () => {
  receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const event = JSON.parse(raw.toString('utf8')) as Event;
    received.push({ headers: req.headers, raw, event });
    const reference = String(event.data.reference);
    res.writeHead(answers.get(reference)?.(eventsFor(reference).length) ?? 200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paystack`;
  paystack = await startPaystack({
    secretKey: SECRET,
    webhookUrl,
    retryDelaysMs: [40, 40, 40],
    transferDelayMs: TRANSFER_DELAY_MS,
  });
});

afterAll(async () => {
  await paystack?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the payout routes', () => {
  it('need the secret key like every other API call', async () => {
    for (const path of ['/bank', '/bank/resolve?account_number=0123456789&bank_code=058']) {
      expect(await api(path, { key: null })).toEqual({
        status: 401,
        body: { status: false, message: 'Invalid key' },
      });
    }
    const before = paystack.recipients().length;
    const res = await api('/transferrecipient', {
      key: 'sk_test_someone_else',
      body: { type: 'nuban', name: 'X', account_number: newAccount(), bank_code: '058' },
    });
    expect(res.status).toBe(401);
    expect(paystack.recipients()).toHaveLength(before);
  });
});

describe('list banks', () => {
  it('lists Nigerian banks with their real codes, with or without filters', async () => {
    const plain = await api('/bank');
    const filtered = await api('/bank?country=nigeria&currency=NGN');
    expect(plain.status).toBe(200);
    expect(filtered.body).toEqual(plain.body);
    expect(plain.body).toMatchObject({
      status: true,
      message: 'Banks retrieved',
      meta: { next: null, previous: null, perPage: 50 },
    });
    const banks = plain.body.data as Array<Record<string, unknown>>;
    const codes = Object.fromEntries(banks.map((bank) => [bank.name, bank.code]));
    expect(codes).toMatchObject({
      'Access Bank': '044',
      'Guaranty Trust Bank': '058',
      'Zenith Bank': '057',
      'First Bank of Nigeria': '011',
      'United Bank For Africa': '033',
      'Kuda Bank': '50211',
      'OPay Digital Services Limited (OPay)': '999992',
      'Moniepoint MFB': '50515',
      'Wema Bank': '035',
      'Stanbic IBTC Bank': '221',
    });
    expect(banks[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      slug: expect.stringMatching(/^[a-z0-9-]+$/),
      code: expect.stringMatching(/^\d+$/),
      longcode: expect.any(String),
      gateway: null,
      pay_with_bank: false,
      supports_transfer: true,
      available_for_direct_debit: false,
      active: true,
      country: 'Nigeria',
      currency: 'NGN',
      type: 'nuban',
      is_deleted: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(new Set(banks.map((bank) => bank.id)).size).toBe(banks.length);
  });

  it('pages through the list with the next and previous cursors', async () => {
    const all = (await api('/bank')).body.data.map((bank: { code: string }) => bank.code);
    const seen: string[] = [];
    const pages: Array<{ next: string | null; previous: string | null }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&next=${encodeURIComponent(cursor)}` : '';
      const res = await api(`/bank?perPage=4${query}`);
      expect(res.body.meta.perPage).toBe(4);
      seen.push(...res.body.data.map((bank: { code: string }) => bank.code));
      pages.push(res.body.meta);
      cursor = res.body.meta.next;
    } while (cursor && pages.length < 10);
    expect(seen).toEqual(all);
    expect(pages).toHaveLength(Math.ceil(all.length / 4));
    expect(pages[0]?.previous).toBeNull();

    const back = await api(
      `/bank?perPage=4&previous=${encodeURIComponent(String(pages[1]?.previous))}`,
    );
    expect(back.body.data.map((bank: { code: string }) => bank.code)).toEqual(all.slice(0, 4));
  });

  it('lists none for a country or currency it does not have', async () => {
    for (const query of ['country=ghana', 'currency=GHS', 'type=mobile_money']) {
      const res = await api(`/bank?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
  });
});

describe('resolve an account number', () => {
  it('names the holder of any ten-digit number at a known bank, the same name every time', async () => {
    const first = await api('/bank/resolve?account_number=0123456789&bank_code=058');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: true, message: 'Account number resolved' });
    const gtbank = (await api('/bank')).body.data.find(
      (bank: { code: string }) => bank.code === '058',
    );
    expect(first.body.data).toEqual({
      account_number: '0123456789',
      account_name: expect.stringMatching(/^[A-Z]+ [A-Z]+ [A-Z]+$/),
      bank_id: gtbank.id,
    });
    const again = await api('/bank/resolve?account_number=0123456789&bank_code=058');
    expect(again.body.data.account_name).toBe(first.body.data.account_name);

    const names = new Set<string>();
    for (const number of ['0000000001', '0000000002', '0000000003', '0000000004']) {
      const res = await api(`/bank/resolve?account_number=${number}&bank_code=044`);
      names.add(res.body.data.account_name);
    }
    expect(names.size).toBeGreaterThan(1);
  });

  it.each([
    ['a nine-digit number', 'account_number=012345678&bank_code=058'],
    ['an eleven-digit number', 'account_number=01234567890&bank_code=058'],
    ['letters', 'account_number=01234abcde&bank_code=058'],
    ['an unknown bank code', 'account_number=0123456789&bank_code=999'],
    ['no bank code', 'account_number=0123456789'],
    ['no account number', 'bank_code=058'],
  ])('cannot resolve %s', async (_, query) => {
    expect(await api(`/bank/resolve?${query}`)).toEqual({
      status: 422,
      body: {
        status: false,
        message: 'Could not resolve account name. Check parameters or try again.',
      },
    });
  });
});

describe('transfer recipients', () => {
  it('creates a nuban recipient with the bank and the resolved holder in its details', async () => {
    const account = newAccount();
    const res = await api('/transferrecipient', {
      body: {
        type: 'nuban',
        name: 'Ada Host',
        account_number: account,
        bank_code: '057',
        currency: 'NGN',
      },
    });
    const resolved = await api(`/bank/resolve?account_number=${account}&bank_code=057`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: true,
      message: 'Transfer recipient created successfully',
    });
    expect(res.body.data).toMatchObject({
      active: true,
      currency: 'NGN',
      domain: 'test',
      id: expect.any(Number),
      integration: expect.any(Number),
      name: 'Ada Host',
      recipient_code: expect.stringMatching(/^RCP_[a-z0-9]+$/),
      type: 'nuban',
      is_deleted: false,
      details: {
        authorization_code: null,
        account_number: account,
        account_name: resolved.body.data.account_name,
        bank_code: '057',
        bank_name: 'Zenith Bank',
      },
    });
    expect(Date.parse(res.body.data.createdAt)).not.toBeNaN();
    expect(Date.parse(res.body.data.updatedAt)).not.toBeNaN();

    const fetched = await api(`/transferrecipient/${res.body.data.recipient_code}`);
    expect(fetched.body.data).toEqual(res.body.data);
    expect((await api(`/transferrecipient/${res.body.data.id}`)).body.data).toEqual(res.body.data);
  });

  it('returns the existing recipient when the same account is added again', async () => {
    const account = newAccount();
    const first = await createRecipient({ account_number: account, bank_code: '044' });
    const before = paystack.recipients().length;
    const again = await api('/transferrecipient', {
      body: { type: 'nuban', name: 'Another Name', account_number: account, bank_code: '044' },
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      id: first.id,
      recipient_code: first.recipient_code,
      name: 'Ada Host',
    });
    expect(paystack.recipients()).toHaveLength(before);

    // The same number at another bank is another account.
    const other = await createRecipient({ account_number: account, bank_code: '033' });
    expect(other.recipient_code).not.toBe(first.recipient_code);
  });

  it.each([
    [{ name: undefined }, 'Name is required'],
    [{ account_number: undefined }, 'Account number is required'],
    [{ bank_code: undefined }, 'Bank code is required'],
    [{ type: undefined }, 'Recipient type is required'],
    [{ bank_code: '999' }, 'Invalid bank code'],
    [{ account_number: '12345' }, 'Cannot resolve account'],
    [{ currency: 'GHS' }, /NGN/],
    [{ type: 'mobile_money' }, /only emulates nuban/],
    [{ type: 'cheque' }, 'Invalid recipient type'],
  ])('refuses %j', async (fields, message) => {
    const before = paystack.recipients().length;
    const res = await api('/transferrecipient', {
      body: {
        type: 'nuban',
        name: 'Ada Host',
        account_number: newAccount(),
        bank_code: '058',
        ...fields,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(false);
    expect(res.body.message).toMatch(message);
    expect(paystack.recipients()).toHaveLength(before);
  });

  it('lists recipients newest first', async () => {
    const older = await createRecipient();
    const newer = await createRecipient();
    const res = await api('/transferrecipient?perPage=2&page=1');
    expect(res.body.message).toBe('Recipients retrieved');
    expect(res.body.data.map((r: { id: number }) => r.id)).toEqual([newer.id, older.id]);
    expect(res.body.meta).toMatchObject({ perPage: 2, page: 1, skipped: 0 });
  });
});

describe('initiate a transfer', () => {
  it('queues it pending, then it succeeds and a signed transfer.success arrives', async () => {
    const recipient = await createRecipient({ bank_code: '044' });
    const { reference, status, body } = await initiate(recipient.recipient_code, {
      currency: 'NGN',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: true, message: 'Transfer has been queued' });
    expect(body.data).toEqual({
      transfersessionid: [],
      transfertrials: [],
      domain: 'test',
      amount: 1_234_567,
      currency: 'NGN',
      reference,
      source: 'balance',
      source_details: null,
      reason: 'Payout for booking b1',
      status: 'pending',
      failures: null,
      transfer_code: expect.stringMatching(/^TRF_[a-z0-9]+$/),
      titan_code: null,
      transferred_at: null,
      id: expect.any(Number),
      integration: expect.any(Number),
      request: expect.any(Number),
      recipient: recipient.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await api(`/transfer/verify/${reference}`)).body.data.status).toBe('pending');

    const hook = await settled(reference);
    expect(hook.headers['x-paystack-signature']).toBe(hmac(hook.raw));
    expect(hook.event.event).toBe('transfer.success');
    expect(hook.event.data).toMatchObject({
      amount: 1_234_567,
      currency: 'NGN',
      reference,
      transfer_code: body.data.transfer_code,
      id: body.data.id,
      status: 'success',
      reason: 'Payout for booking b1',
      source: 'balance',
      failures: null,
      fee_charged: 0,
      integration: { id: body.data.integration, is_live: false },
      recipient: {
        id: recipient.id,
        recipient_code: recipient.recipient_code,
        type: 'nuban',
        currency: 'NGN',
        details: { bank_code: '044', bank_name: 'Access Bank', authorization_code: null },
      },
      session: { provider: 'nip', id: expect.stringMatching(/^\d+$/) },
    });
    expect(Date.parse(hook.event.data.transferred_at)).not.toBeNaN();
    expect(Date.parse(hook.event.data.createdAt)).not.toBeNaN();

    const verified = await api(`/transfer/verify/${reference}`);
    expect(verified.body).toMatchObject({ status: true, message: 'Transfer retrieved' });
    expect(verified.body.data).toMatchObject({
      status: 'success',
      reference,
      amount: 1_234_567,
      recipient: { recipient_code: recipient.recipient_code },
    });
    await sleep(100);
    expect(eventsFor(reference)).toHaveLength(1);
  });

  it('refuses a reference it has already seen and does nothing', async () => {
    const recipient = await createRecipient();
    const first = await initiate(recipient.recipient_code);
    expect(first.status).toBe(200);
    await settled(first.reference);
    const before = paystack.transfers().length;

    const again = await api('/transfer', {
      body: {
        source: 'balance',
        amount: 999,
        recipient: recipient.recipient_code,
        reference: first.reference,
      },
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      status: false,
      message: 'Duplicate Transfer Reference',
      meta: { nextStep: expect.any(String) },
      type: 'validation_error',
      code: 'duplicate_reference',
    });
    expect(paystack.transfers()).toHaveLength(before);
    await sleep(TRANSFER_DELAY_MS * 3);
    expect(eventsFor(first.reference)).toHaveLength(1);
    expect((await api(`/transfer/verify/${first.reference}`)).body.data.amount).toBe(1_234_567);
  });

  it('refuses a reference seen on a transfer that is still pending', async () => {
    const recipient = await createRecipient();
    const first = await initiate(recipient.recipient_code);
    const again = await api('/transfer', {
      body: {
        source: 'balance',
        amount: 1_234_567,
        recipient: recipient.recipient_code,
        reference: first.reference,
      },
    });
    expect(again.body.code).toBe('duplicate_reference');
    await settled(first.reference);
    await sleep(TRANSFER_DELAY_MS * 3);
    expect(eventsFor(first.reference)).toHaveLength(1);
  });

  it('takes a reference again once its transfer was reversed, and the retry can succeed', async () => {
    const recipient = await createRecipient();
    paystack.setNextTransferOutcome(recipient.recipient_code, 'reversed');
    const first = await initiate(recipient.recipient_code);
    await settled(first.reference);
    expect((await api(`/transfer/verify/${first.reference}`)).body.data.status).toBe('reversed');
    const retry = await api('/transfer', {
      body: {
        source: 'balance',
        amount: 1_234_567,
        recipient: recipient.recipient_code,
        reference: first.reference,
      },
    });
    expect(retry.status).toBe(200);
    await until(
      () => eventsFor(first.reference).length >= 2 && eventsFor(first.reference),
      'the retry settled',
    );
    expect((await api(`/transfer/verify/${first.reference}`)).body.data.status).toBe('success');
  });

  it.each([
    ['upper-case letters', 'Local-Payout-Reference-1'],
    ['15 characters', 'abcdefghij12345'],
    ['51 characters', 'a'.repeat(51)],
    ['a dot', 'local.payout.reference'],
    ['a space', 'local payout reference'],
  ])('refuses a reference with %s', async (_, reference) => {
    const recipient = await createRecipient();
    const before = paystack.transfers().length;
    const res = await initiate(recipient.recipient_code, { reference });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(false);
    expect(res.body.message).toMatch(/lowercase/);
    expect(paystack.transfers()).toHaveLength(before);
  });

  it('takes a reference of 16 and of 50 characters, and makes one up when none is given', async () => {
    const recipient = await createRecipient();
    const short = `r${String(++sequence).padStart(15, '0')}`;
    expect(short).toHaveLength(16);
    expect((await initiate(recipient.recipient_code, { reference: short })).status).toBe(200);
    const long = `${newReference()}-`.padEnd(50, 'z');
    expect(long).toHaveLength(50);
    expect((await initiate(recipient.recipient_code, { reference: long })).status).toBe(200);

    const res = await api('/transfer', {
      body: { source: 'balance', amount: 5000, recipient: recipient.recipient_code },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.reference).toMatch(/^[a-z0-9]+$/);
  });

  it('refuses an unknown recipient the way Paystack does', async () => {
    const before = paystack.transfers().length;
    for (const recipient of ['RCP_nosuchrecipient', 'not-a-code', undefined]) {
      const res = await initiate(recipient as string);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status: false,
        message: 'Recipient specified is invalid',
        type: 'validation_error',
        code: 'invalid_transfer_recipient',
        meta: { nextStep: expect.stringMatching(/recipient code/) },
      });
    }
    expect(paystack.transfers()).toHaveLength(before);
  });

  it.each([
    [{ amount: undefined }, 'Amount is required'],
    [{ amount: 0 }, 'Invalid Amount Sent'],
    [{ amount: 100.5 }, 'Invalid Amount Sent'],
    [{ amount: '-100' }, 'Invalid Amount Sent'],
    [{ source: undefined }, 'Source is required'],
    [{ source: 'card' }, /balance/],
    [{ currency: 'GHS' }, /currency/],
    [{ currency: 'EUR' }, 'Currency not supported by merchant'],
  ])('refuses %j', async (fields, message) => {
    const recipient = await createRecipient();
    const before = paystack.transfers().length;
    const res = await initiate(recipient.recipient_code, fields);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    expect(paystack.transfers()).toHaveLength(before);
  });
});

describe('how a transfer ends', () => {
  it('always fails to account 0000000000 and sends transfer.failed', async () => {
    const recipient = await createRecipient({ account_number: '0000000000', bank_code: '057' });
    const { reference, body } = await initiate(recipient.recipient_code);
    expect(body.data.status).toBe('pending');
    const hook = await settled(reference);
    expect(hook.headers['x-paystack-signature']).toBe(hmac(hook.raw));
    expect(hook.event).toMatchObject({
      event: 'transfer.failed',
      data: { reference, status: 'failed', amount: 1_234_567, transferred_at: null },
    });
    const verified = await api(`/transfer/verify/${reference}`);
    expect(verified.body.data).toMatchObject({ status: 'failed' });
    expect(verified.body.data.gateway_response).toEqual(expect.any(String));

    // A test cannot talk it into succeeding.
    paystack.setNextTransferOutcome(recipient.recipient_code, 'reversed');
    const next = await initiate(recipient.recipient_code);
    expect((await settled(next.reference)).event.event).toBe('transfer.failed');
  });

  it("ends a recipient's next transfer reversed when a test asks, and only that one", async () => {
    const recipient = await createRecipient();
    paystack.setNextTransferOutcome(recipient.recipient_code, 'reversed');
    const reversed = await initiate(recipient.recipient_code);
    const after = await initiate(recipient.recipient_code);

    const hook = await settled(reversed.reference);
    expect(hook.headers['x-paystack-signature']).toBe(hmac(hook.raw));
    expect(hook.event).toMatchObject({
      event: 'transfer.reversed',
      data: { reference: reversed.reference, status: 'reversed', amount: 1_234_567 },
    });
    expect((await api(`/transfer/verify/${reversed.reference}`)).body.data.status).toBe('reversed');
    expect((await settled(after.reference)).event.event).toBe('transfer.success');
    expect(() => paystack.setNextTransferOutcome('RCP_unknown', 'failed')).toThrow(/RCP_unknown/);
  });

  it('retries a transfer event until the receiver answers 200', async () => {
    const recipient = await createRecipient();
    const reference = newReference();
    answers.set(reference, (nth) => (nth <= 2 ? 500 : 200));
    await api('/transfer', {
      body: { source: 'balance', amount: 10000, recipient: recipient.recipient_code, reference },
    });
    await until(() => eventsFor(reference).length === 3, 'three attempts');
    await sleep(150);
    const attempts = paystack
      .deliveries()
      .filter((d) => JSON.parse(d.body).data.reference === reference);
    expect(attempts.map((d) => [d.event, d.attempt, d.status])).toEqual([
      ['transfer.success', 1, 500],
      ['transfer.success', 2, 500],
      ['transfer.success', 3, 200],
    ]);
    expect(new Set(attempts.map((d) => d.body)).size).toBe(1);
    expect(attempts.every((d) => d.signature === hmac(d.body))).toBe(true);
  });

  it('never settles, nor sends, once the emulator is closed', async () => {
    const local = await startPaystack({ secretKey: SECRET, webhookUrl, transferDelayMs: 50 });
    const recipient = await createRecipient({}, local);
    const reference = newReference();
    const res = await api(
      '/transfer',
      { body: { source: 'balance', amount: 100, recipient: recipient.recipient_code, reference } },
      local,
    );
    expect(res.status).toBe(200);
    await local.close();
    await sleep(150);
    expect(local.transfers()[0]?.status).toBe('pending');
    expect(eventsFor(reference)).toEqual([]);
  });
});

describe('list, fetch and verify transfers', () => {
  it('lists transfers newest first, a page at a time, with Paystack meta', async () => {
    const local = await startPaystack({ secretKey: SECRET, webhookUrl, transferDelayMs: 10 });
    try {
      const recipient = await createRecipient({}, local);
      const references: string[] = [];
      for (let i = 0; i < 5; i++) {
        const reference = newReference();
        references.push(reference);
        const res = await api(
          '/transfer',
          {
            body: {
              source: 'balance',
              amount: 1000 + i,
              recipient: recipient.recipient_code,
              reference,
            },
          },
          local,
        );
        expect(res.status).toBe(200);
      }
      const first = await api('/transfer?perPage=2&page=1', {}, local);
      expect(first.body).toMatchObject({
        status: true,
        message: 'Transfers retrieved',
        meta: { total: 5, skipped: 0, perPage: 2, page: 1, pageCount: 3 },
      });
      expect(first.body.data.map((t: { reference: string }) => t.reference)).toEqual([
        references[4],
        references[3],
      ]);
      expect(first.body.data[0]).toMatchObject({
        amount: 1004,
        recipient: { recipient_code: recipient.recipient_code, details: { bank_code: '058' } },
        session: { provider: null, id: null },
      });
      const last = await api('/transfer?perPage=2&page=3', {}, local);
      expect(last.body.meta).toMatchObject({ skipped: 4, page: 3 });
      expect(last.body.data.map((t: { reference: string }) => t.reference)).toEqual([
        references[0],
      ]);
      const all = await api('/transfer', {}, local);
      expect(all.body.meta).toMatchObject({ total: 5, perPage: 50, page: 1, pageCount: 1 });

      await until(
        () => local.transfers().every((t) => t.status === 'success'),
        'every transfer to settle',
      );
      const pending = await api('/transfer?status=pending', {}, local);
      expect(pending.body.data).toEqual([]);
      const byRecipient = await api(`/transfer?recipient=${recipient.recipient_code}`, {}, local);
      expect(byRecipient.body.meta.total).toBe(5);
      expect((await api('/transfer?recipient=RCP_other', {}, local)).body.data).toEqual([]);
    } finally {
      await local.close();
    }
  });

  it('fetches a transfer by its id or its code, and says when there is none', async () => {
    const recipient = await createRecipient();
    const { reference, body } = await initiate(recipient.recipient_code);
    await settled(reference);
    const byCode = await api(`/transfer/${body.data.transfer_code}`);
    const byId = await api(`/transfer/${body.data.id}`);
    const verified = await api(`/transfer/verify/${reference}`);
    expect(byCode.body).toMatchObject({ status: true, message: 'Transfer retrieved' });
    expect(byCode.body.data).toEqual(verified.body.data);
    expect(byId.body.data).toEqual(verified.body.data);

    for (const path of [
      '/transfer/verify/no-such-reference-at-all',
      '/transfer/TRF_nosuchtransfer',
      '/transfer/1',
    ]) {
      expect(await api(path)).toEqual({
        status: 404,
        body: { status: false, message: 'Transfer not found' },
      });
    }
  });

  it('hands tests copies, so inspecting them changes nothing', async () => {
    const recipient = await createRecipient();
    const { reference } = await initiate(recipient.recipient_code);
    await settled(reference);
    const copy = paystack.transfers().find((t) => t.reference === reference);
    if (!copy) throw new Error('the transfer is missing');
    copy.status = 'failed';
    copy.amount = 1;
    const recipientCopy = paystack.recipients().find((r) => r.id === recipient.id);
    if (!recipientCopy) throw new Error('the recipient is missing');
    recipientCopy.accountNumber = '9999999999';
    const verified = await api(`/transfer/verify/${reference}`);
    expect(verified.body.data).toMatchObject({
      status: 'success',
      amount: 1_234_567,
      recipient: { details: { account_number: expect.not.stringMatching('9999999999') } },
    });
  });
});

import { randomUUID } from 'node:crypto';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { desc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { inDays, payAtCheckout } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';
import { type ChatEvents, createClient, type Tokens } from '../../client/src/index.ts';

const stack = await startLocalStack();
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const { id: listingId } = await publishedListing(stack, host.accessToken, {
  title: 'Ikoyi studio',
  instantBook: true,
  cleaningFee: 500_000,
});

let phones = 700000 + Math.floor(Math.random() * 99999);
const newPhone = () => `+23480${String(++phones).padStart(8, '0')}`;

/** The six digits the last SMS to `to` carried. */
async function codeSentTo(to: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const line = (await stack.outbox()).filter((l) => l.to === to).at(-1);
    const code = line && /\b(\d{6})\b/.exec(String(line.text))?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code sent to ${to}`);
}

/** A client signed in as a new guest, the way the README shows. */
async function signedInClient(onTokens?: (tokens: Tokens | null) => void) {
  const client = createClient({ baseUrl: stack.gateway.url, wsUrl: stack.ws.url, onTokens });
  const phone = newPhone();
  const requested = await client.POST('/auth/otp/request', { body: { phone, role: 'user' } });
  expect(requested.response.status).toBe(202);
  const code = await codeSentTo(phone);
  const { data, error } = await client.POST('/auth/otp/verify', {
    body: { phone, role: 'user', code },
  });
  expect(error).toBeUndefined();
  return { client, tokens: data as Tokens };
}

describe('the client against the local API', () => {
  it('signs in, then calls as that guest without passing the token around', async () => {
    const stored: Array<Tokens | null> = [];
    const { client, tokens } = await signedInClient((t) => stored.push(t));
    expect(stored).toEqual([tokens]);
    const { data: me } = await client.GET('/me');
    expect(me?.id).toBe(tokens.principal.id);
    expect(me?.role).toBe('user');

    await client.POST('/auth/logout', { body: { refreshToken: tokens.refreshToken } });
    expect(stored.at(-1)).toBeNull();
    const after = await client.GET('/me');
    expect(after.response.status).toBe(401);
    expect(after.error?.error.code).toBeTruthy();
  });

  it('reads the feed with typed filters, and a listing', async () => {
    const client = createClient({ baseUrl: stack.gateway.url });
    const { data, error } = await client.GET('/listings/public', {
      params: { query: { city: 'Lagos', limit: 50 } },
    });
    expect(error).toBeUndefined();
    const card = data?.listings.find((l) => l.id === listingId);
    expect(card?.pricePerNight).toBe(4_500_000);
    expect(card?.currency).toBe('NGN');
    const one = await client.GET('/listings/public/{id}', { params: { path: { id: listingId } } });
    expect(one.data?.title).toBe('Ikoyi studio');
    const refused = await client.GET('/listings/public', {
      params: { query: { checkIn: inDays(5) } },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.error.details?.[0]?.path).toContain('checkOut');
  });

  it('books a stay through checkout: the client adds the Idempotency-Key itself', async () => {
    const { client } = await signedInClient();
    const quote = await client.GET('/listings/public/{id}/quote', {
      params: { path: { id: listingId }, query: { checkIn: inDays(20), checkOut: inDays(23) } },
    });
    // 3 nights of ₦45,000 and a ₦5,000 clean, in kobo.
    expect(quote.data?.subtotal).toBe(13_500_000);
    expect(quote.data?.cleaningFee).toBe(500_000);

    const { data: booking, response } = await client.POST('/bookings', {
      body: { listingId, checkIn: inDays(20), checkOut: inDays(23), email: 'ada@example.com' },
    });
    expect(response.status).toBe(201);
    expect(booking?.status).toBe('pending_payment');
    expect(booking?.total).toBe(quote.data?.total);
    const url = booking?.payment?.authorizationUrl;
    expect(url).toBeTruthy();
    await payAtCheckout(url as string, 'success');

    const { data: verified } = await client.POST('/bookings/{id}/payment/verify', {
      params: { path: { id: booking?.id as string } },
    });
    expect(verified?.status).toBe('confirmed');
    const { data: mine } = await client.GET('/bookings', { params: { query: {} } });
    expect(mine?.bookings.map((b) => b.id)).toContain(booking?.id);
  });

  it('chats live, and after a dropped socket gets what it missed over HTTP, once', async () => {
    const { client: guest } = await signedInClient();
    const opened = await guest.POST('/conversations', {
      body: { listingId, message: 'Is there a generator?' },
    });
    expect(opened.response.status).toBe(201);
    const conversationId = opened.data?.conversation.id as string;

    // The host's app, with a socket whose frames we can count.
    const framesSeen: string[] = [];
    class CountingSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url);
        this.addEventListener('message', (e) => framesSeen.push(String(e.data)));
      }
    }
    const hostClient = createClient({
      baseUrl: stack.gateway.url,
      wsUrl: stack.ws.url,
      getAccessToken: () => host.accessToken,
      getRefreshToken: () => host.refreshToken,
    });
    const hostChat = hostClient.chat.connect({ minDelayMs: 1500, WebSocket: CountingSocket });
    const received: ChatEvents['message'][] = [];
    const opens: boolean[] = [];
    hostChat.on('message', (m) => received.push(m));
    const openedOnce = new Promise<void>((resolve) =>
      hostChat.on('open', ({ reconnected }) => {
        opens.push(reconnected);
        resolve();
      }),
    );
    const guestChat = guest.chat.connect();
    const guestOpen = new Promise<void>((resolve) => guestChat.on('open', () => resolve()));
    await Promise.all([openedOnce, guestOpen]);

    const acked = new Promise<ChatEvents['ack']>((resolve) => guestChat.on('ack', resolve));
    const clientId = guestChat.sendMessage(conversationId, 'We arrive at 9pm');
    expect((await acked).clientId).toBe(clientId);
    await until(() => received.some((m) => m.body === 'We arrive at 9pm'));

    // API Gateway drops the host's socket (as it does after two hours, or on a network change).
    const [connection] = await db()
      .select()
      .from(schema.wsConnections)
      .where(eq(schema.wsConnections.principalId, host.principal.id))
      .orderBy(desc(schema.wsConnections.connectedAt));
    const closed = new Promise<ChatEvents['close']>((resolve) => hostChat.on('close', resolve));
    await new ApiGatewayManagementApiClient({
      endpoint: stack.ws.callbackUrl,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }).send(new DeleteConnectionCommand({ ConnectionId: connection?.connectionId }));
    expect((await closed).willReconnect).toBe(true);

    // While it is down, the guest writes over HTTP.
    const missed = await guest.POST('/conversations/{id}/messages', {
      params: { path: { id: conversationId } },
      body: { body: 'Also, can we check in early?', clientId: randomUUID() },
    });
    expect(missed.response.status).toBe(201);
    const missedId = missed.data?.message.id as string;

    await until(() => received.some((m) => m.id === missedId), 10_000);
    expect(opens).toEqual([false, true]);
    // It came over HTTP after the reconnect, not over the socket; and once.
    expect(framesSeen.some((f) => f.includes(missedId))).toBe(false);
    expect(received.filter((m) => m.id === missedId)).toHaveLength(1);
    expect(received.map((m) => m.body)).toEqual([
      'We arrive at 9pm',
      'Also, can we check in early?',
    ]);

    hostChat.close();
    guestChat.close();
    expect(hostChat.state).toBe('closed');
  });
});

async function until(done: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

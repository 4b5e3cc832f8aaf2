import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { book, inDays, until } from '#tests/support/bookings';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing, uploadJpeg } from '#tests/support/uploads';

const stack = await startLocalStack();
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const otherHost = await stack.signIn('host');
const guest = await stack.signIn('user');
const otherGuest = await stack.signIn('user');
await db().insert(schema.admins).values({ email: 'help@example.com', name: 'Support' });
const admin = await stack.signIn('admin', 'help@example.com');

// Names and a host avatar, as the apps set them.
for (const [s, name] of [
  [guest, 'Amaka'],
  [host, 'Tunde'],
] as const) {
  expect((await stack.api('PATCH', '/me', { token: s.accessToken, body: { name } })).status).toBe(
    200,
  );
}
const avatarKey = await uploadJpeg(stack, '/me/avatar/upload-url', host.accessToken);
const hostProfile = await stack.api('PATCH', '/me', {
  token: host.accessToken,
  body: { avatarKey },
});
expect(hostProfile.body.avatarUrl).toMatch(/^http/);

/** Every phone registered for push, as the app does after sign-in. */
const pushTokenOf = new Map<string, string>();
for (const s of [host, otherHost, guest, otherGuest]) {
  const token = `ExponentPushToken[chat-${s.principal.role}-${s.principal.id.slice(0, 8)}]`;
  const res = await stack.api('POST', '/me/push-tokens', {
    token: s.accessToken,
    body: { token, platform: 'android' },
  });
  expect(res.status).toBeLessThan(300);
  pushTokenOf.set(s.principal.id, token);
}

/** The chat pushes that reached this principal's phone about one conversation. */
const pushesTo = async (principalId: string, conversationId: string) =>
  (await stack.outbox()).filter(
    (l) =>
      l.channel === 'push' &&
      l.to === pushTokenOf.get(principalId) &&
      (l.data as { conversationId?: string } | undefined)?.conversationId === conversationId,
  );

const listingOf = async (title = 'Lekki studio') =>
  (await publishedListing(stack, host.accessToken, { title, city: 'Lagos' })).id;

const open = (token: string, body: Record<string, unknown>) =>
  stack.api('POST', '/conversations', { token, body });
const post = (token: string, id: string, body: Record<string, unknown>) =>
  stack.api('POST', `/conversations/${id}/messages`, { token, body });
const list = (token: string, query = '') => stack.api('GET', `/conversations${query}`, { token });
const messagesOf = (token: string, id: string, query = '') =>
  stack.api('GET', `/conversations/${id}/messages${query}`, { token });
const lineOf = async (token: string, id: string) =>
  (await list(token, '?limit=50')).body.conversations.find((c: { id: string }) => c.id === id);

const MESSAGE_KEYS = [
  'body',
  'clientId',
  'conversationId',
  'createdAt',
  'id',
  'senderId',
  'senderRole',
];

describe('opening a conversation', () => {
  it("opens one thread between a guest and a listing's host, and reuses it", async () => {
    const listingId = await listingOf('Ikoyi penthouse');
    const first = await open(guest.accessToken, {
      listingId,
      message: '  Is there a generator?  ',
    });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body.message).sort()).toEqual(MESSAGE_KEYS);
    expect(first.body.message).toMatchObject({
      conversationId: first.body.conversation.id,
      senderRole: 'user',
      senderId: guest.principal.id,
      body: 'Is there a generator?',
      clientId: null,
    });
    expect(first.body.conversation).toMatchObject({
      bookingId: null,
      otherParty: { role: 'host', id: host.principal.id, name: 'Tunde' },
      lastMessage: { body: 'Is there a generator?', senderRole: 'user' },
      unreadCount: 0,
    });
    expect(first.body.conversation.otherParty.avatarUrl).toBe(hostProfile.body.avatarUrl);

    const again = await open(guest.accessToken, { listingId, message: 'And Wi-Fi?' });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(first.body.conversation.id);
    expect(again.body.message.body).toBe('And Wi-Fi?');
    const thread = await messagesOf(guest.accessToken, first.body.conversation.id);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'And Wi-Fi?',
      'Is there a generator?',
    ]);
    // The host sees the guest, two unread.
    expect(await lineOf(host.accessToken, first.body.conversation.id)).toMatchObject({
      otherParty: { role: 'user', id: guest.principal.id, name: 'Amaka', avatarUrl: null },
      unreadCount: 2,
      lastMessage: { body: 'And Wi-Fi?', senderRole: 'user' },
    });
  });

  it("carries the listing's card, as the feed shows it", async () => {
    const listingId = await listingOf('Victoria Island loft');
    const opened = await open(guest.accessToken, { listingId, message: 'Hello' });
    const feed = await stack.api('GET', '/listings/public?limit=50');
    const card = feed.body.listings.find((l: { id: string }) => l.id === listingId);
    expect(card).toBeDefined();
    expect(opened.body.conversation.listing).toEqual(card);
    expect(opened.body.conversation.listing).toMatchObject({
      title: 'Victoria Island loft',
      host: { id: host.principal.id },
      coverPhotoUrl: expect.stringMatching(/^http/),
    });
    expect((await lineOf(guest.accessToken, opened.body.conversation.id)).listing).toEqual(card);
  });

  it('lets a host open one about their own booking, and support join it', async () => {
    const listingId = await listingOf('Surulere flat');
    const booked = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(20),
      checkOut: inDays(22),
      email: 'amaka@example.com',
    });
    expect(booked.status).toBe(201);
    const bookingId = booked.body.id as string;

    // Hosts and support write about a booking, not a listing.
    const byListing = await open(host.accessToken, { listingId, message: 'Hi' });
    expect(byListing.status).toBe(400);
    expect(byListing.body.error.details[0].path).toBe('body.bookingId');

    const hostOpens = await open(host.accessToken, {
      bookingId,
      message: 'Welcome! Arrival time?',
    });
    expect(hostOpens.status).toBe(201);
    const id = hostOpens.body.conversation.id as string;
    expect(hostOpens.body.conversation).toMatchObject({
      bookingId,
      otherParty: { role: 'user', id: guest.principal.id },
      listing: { id: listingId },
    });
    // The guest asking about the listing lands in the same thread.
    const guestAsks = await open(guest.accessToken, { listingId, message: 'Around 6pm' });
    expect(guestAsks.status).toBe(200);
    expect(guestAsks.body.conversation).toMatchObject({ id, bookingId });

    // Support joins by writing into the booking's thread.
    const support = await open(admin.accessToken, { bookingId, message: 'Support here.' });
    expect(support.status).toBe(200);
    expect(support.body.conversation.id).toBe(id);
    expect(support.body.message).toMatchObject({
      senderRole: 'admin',
      senderId: admin.principal.id,
    });
    expect(await lineOf(guest.accessToken, id)).toMatchObject({
      unreadCount: 2,
      lastMessage: { body: 'Support here.', senderRole: 'admin' },
    });
    expect(await lineOf(host.accessToken, id)).toMatchObject({ unreadCount: 2 });
    // Support's list has it, with the guest as the other party; support reads it.
    expect(await lineOf(admin.accessToken, id)).toMatchObject({
      bookingId,
      otherParty: { role: 'user', id: guest.principal.id },
      unreadCount: 2,
    });
    const thread = await messagesOf(admin.accessToken, id);
    expect(thread.body.messages.map((m: { senderRole: string }) => m.senderRole)).toEqual([
      'admin',
      'user',
      'host',
    ]);
    // And writes in it like anyone taking part.
    const more = await post(admin.accessToken, id, { body: 'Anything else?' });
    expect(more.status).toBe(201);
    const read = await stack.api('POST', `/conversations/${id}/read`, {
      token: admin.accessToken,
    });
    expect(read.body).toMatchObject({ conversationId: id, role: 'admin' });
    expect(await lineOf(admin.accessToken, id)).toMatchObject({ unreadCount: 0 });
  });

  it('refuses what the caller may not write about', async () => {
    const listingId = await listingOf('Gbagada room');
    const booked = await book(stack, guest.accessToken, {
      listingId,
      checkIn: inDays(50),
      checkOut: inDays(52),
      email: 'amaka@example.com',
    });
    const bookingId = booked.body.id as string;
    for (const [token, body] of [
      [otherGuest.accessToken, { bookingId }],
      [otherHost.accessToken, { bookingId }],
      [guest.accessToken, { listingId: randomUUID() }],
      [guest.accessToken, { bookingId: randomUUID() }],
      [admin.accessToken, { bookingId: randomUUID() }],
    ] as const) {
      const res = await open(token, { ...body, message: 'Hello' });
      expect(res.status, JSON.stringify(body)).toBe(404);
    }
    const both = await open(guest.accessToken, { listingId, bookingId, message: 'Hello' });
    expect(both.status).toBe(400);
    const empty = await open(guest.accessToken, { listingId, message: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.message']);
  });
});

describe('messages', () => {
  it('counts unread for each role, and a read resets the caller’s own', async () => {
    const listingId = await listingOf('Yaba room');
    const { body } = await open(guest.accessToken, { listingId, message: 'One' });
    const id = body.conversation.id as string;
    await post(guest.accessToken, id, { body: 'Two' });
    const reply = await post(host.accessToken, id, { body: 'Hi Amaka' });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ senderRole: 'host', senderId: host.principal.id });

    expect(await lineOf(host.accessToken, id)).toMatchObject({ unreadCount: 2, lastReadAt: null });
    expect(await lineOf(guest.accessToken, id)).toMatchObject({
      unreadCount: 1,
      lastMessage: { body: 'Hi Amaka', senderRole: 'host' },
    });

    const read = await stack.api('POST', `/conversations/${id}/read`, { token: host.accessToken });
    expect(read.status).toBe(200);
    expect(Object.keys(read.body).sort()).toEqual(['conversationId', 'lastReadAt', 'role']);
    expect(read.body).toMatchObject({ conversationId: id, role: 'host' });
    expect(Date.parse(read.body.lastReadAt)).toBeGreaterThanOrEqual(
      Date.parse(reply.body.message.createdAt),
    );
    expect(await lineOf(host.accessToken, id)).toMatchObject({
      unreadCount: 0,
      lastReadAt: read.body.lastReadAt,
    });
    // The guest's count is the guest's own.
    expect(await lineOf(guest.accessToken, id)).toMatchObject({ unreadCount: 1 });
    await post(guest.accessToken, id, { body: 'Three' });
    expect(await lineOf(host.accessToken, id)).toMatchObject({ unreadCount: 1 });
  });

  it('stores a retry with the same clientId once', async () => {
    const listingId = await listingOf('Ajah duplex');
    const clientId = `c-${randomUUID()}`;
    const first = await open(guest.accessToken, { listingId, message: 'Hello', clientId });
    expect(first.status).toBe(201);
    const id = first.body.conversation.id as string;
    // The app did not hear back and sends the same request again: nothing more is stored.
    const retried = await open(guest.accessToken, { listingId, message: 'Hello', clientId });
    expect(retried.status).toBe(200);
    expect(retried.body.message).toEqual(first.body.message);

    const messageId = `m-${randomUUID()}`;
    const sent = await post(guest.accessToken, id, { body: 'Are pets ok?', clientId: messageId });
    expect(sent.status).toBe(201);
    expect(sent.body.message.clientId).toBe(messageId);
    const again = await post(guest.accessToken, id, { body: 'Are pets ok?', clientId: messageId });
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(sent.body.message);
    // Another sender may use the same client id for their own message.
    const theirs = await post(host.accessToken, id, { body: 'Yes', clientId: messageId });
    expect(theirs.status).toBe(201);

    const thread = await messagesOf(guest.accessToken, id);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Yes',
      'Are pets ok?',
      'Hello',
    ]);
    expect(await lineOf(host.accessToken, id)).toMatchObject({ unreadCount: 2 });
  });

  it('pages a thread newest first with before', async () => {
    const listingId = await listingOf('Magodo bungalow');
    const { body } = await open(guest.accessToken, { listingId, message: 'm0' });
    const id = body.conversation.id as string;
    for (let i = 1; i < 7; i++) {
      const who = i % 2 ? host : guest;
      expect((await post(who.accessToken, id, { body: `m${i}` })).status).toBe(201);
    }
    const seen: string[] = [];
    let before: string | null = null;
    const sizes: number[] = [];
    do {
      const page = await messagesOf(
        host.accessToken,
        id,
        `?limit=3${before ? `&before=${before}` : ''}`,
      );
      expect(page.status).toBe(200);
      sizes.push(page.body.messages.length);
      seen.push(...page.body.messages.map((m: { body: string }) => m.body));
      before = page.body.nextCursor;
    } while (before);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    const bad = await messagesOf(host.accessToken, id, '?before=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.before');
  });

  it('refuses an empty or over-long body, naming body.body', async () => {
    const listingId = await listingOf('Oniru studio');
    const { body } = await open(guest.accessToken, { listingId, message: 'Hi' });
    const id = body.conversation.id as string;
    for (const text of ['', '   \n ', 'x'.repeat(4001)]) {
      const res = await post(guest.accessToken, id, { body: text });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.body']);
    }
    // 4000 characters after trimming is the limit.
    const longest = await post(guest.accessToken, id, { body: ` ${'x'.repeat(4000)} ` });
    expect(longest.status).toBe(201);
    expect(longest.body.message.body).toHaveLength(4000);
  });
});

describe('who may see a conversation', () => {
  it('answers 404 to anyone not taking part, on every route', async () => {
    const listingId = await listingOf('Festac flat');
    const { body } = await open(guest.accessToken, { listingId, message: 'Private' });
    const id = body.conversation.id as string;
    // Support sees only conversations about a booking; this one is not.
    for (const s of [otherGuest, otherHost, admin]) {
      const token = s.accessToken;
      expect((await messagesOf(token, id)).status, s.principal.role).toBe(404);
      expect((await post(token, id, { body: 'Hello' })).status, s.principal.role).toBe(404);
      expect(
        (await stack.api('POST', `/conversations/${id}/read`, { token })).status,
        s.principal.role,
      ).toBe(404);
      expect(await lineOf(token, id)).toBeUndefined();
    }
    const missing = randomUUID();
    expect((await messagesOf(guest.accessToken, missing)).status).toBe(404);
    expect((await post(guest.accessToken, missing, { body: 'x' })).status).toBe(404);
    // Nothing was stored by the refused writes.
    const thread = await messagesOf(guest.accessToken, id);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toEqual(['Private']);
  });
});

describe('the conversations list', () => {
  it('pages by latest activity, with cursors that move past exactly what was shown', async () => {
    const asker = await stack.signIn('user');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const listingId = await listingOf(`Lagos ${i}`);
      const res = await open(asker.accessToken, { listingId, message: `About ${i}` });
      expect(res.status).toBe(201);
      ids.push(res.body.conversation.id);
    }
    // The oldest thread gets a reply: it moves to the top.
    await post(host.accessToken, ids[0] as string, { body: 'Still free' });
    const expected = [ids[0], ids[4], ids[3], ids[2], ids[1]];

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(asker.accessToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      sizes.push(page.body.conversations.length);
      seen.push(...page.body.conversations.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
    const top = (await list(asker.accessToken, '?limit=1')).body.conversations[0];
    expect(top).toMatchObject({
      id: ids[0],
      unreadCount: 1,
      lastMessage: { body: 'Still free', senderRole: 'host' },
    });
    const bad = await list(asker.accessToken, '?cursor=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('query.cursor');
  });
});

describe('pushes', () => {
  it('pushes an offline participant at most once per conversation every five minutes', async () => {
    const listingId = await listingOf('Ikeja flat');
    const opened = await open(guest.accessToken, { listingId, message: 'Is it free in May?' });
    const id = opened.body.conversation.id as string;
    const [push] = await until(
      () => pushesTo(host.principal.id, id),
      (l) => l.length === 1,
    );
    expect(push).toMatchObject({ title: 'Amaka', text: 'Is it free in May?' });

    // Within five minutes: stored, not pushed again.
    const long = `${'Long question '.repeat(12)}end`;
    expect((await post(guest.accessToken, id, { body: 'Hello?' })).status).toBe(201);
    const [row] = await db()
      .select({ pushedAt: schema.conversations.hostPushedAt })
      .from(schema.conversations)
      .where(sql`${schema.conversations.id} = ${id}`);
    expect(row?.pushedAt).not.toBeNull();

    // Five minutes on (the throttle's mark moved back), the next message pushes, cut to 100.
    await db().execute(
      sql`update conversations set host_pushed_at = now() - interval '301 seconds' where id = ${id}`,
    );
    expect((await post(guest.accessToken, id, { body: long })).status).toBe(201);
    const pushes = await until(
      () => pushesTo(host.principal.id, id),
      (l) => l.length >= 2,
    );
    expect(pushes.map((p) => p.text)).toEqual(['Is it free in May?', `${long.slice(0, 99)}…`]);
    expect(String(pushes[1]?.text)).toHaveLength(100);

    // The host's reply pushes the guest (once), never the host who wrote it.
    expect((await post(host.accessToken, id, { body: 'Yes it is' })).status).toBe(201);
    const toGuest = await until(
      () => pushesTo(guest.principal.id, id),
      (l) => l.length === 1,
    );
    expect(toGuest[0]).toMatchObject({ title: 'Tunde', text: 'Yes it is' });
    expect(await pushesTo(host.principal.id, id)).toHaveLength(2);
  });

  it('does not push someone with an open connection', async () => {
    const listingId = await listingOf('Lekki phase 1');
    const opened = await open(otherGuest.accessToken, { listingId, message: 'First' });
    const id = opened.body.conversation.id as string;
    await until(
      () => pushesTo(host.principal.id, id),
      (l) => l.length === 1,
    );
    // No name on this account: the title says what it is.
    expect((await pushesTo(host.principal.id, id))[0]?.title).toBe('New message');

    await db().execute(
      sql`update conversations set host_pushed_at = now() - interval '301 seconds' where id = ${id}`,
    );
    await db()
      .insert(schema.wsConnections)
      .values({
        connectionId: `test-${randomUUID()}`,
        role: 'host',
        principalId: host.principal.id,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
    expect((await post(otherGuest.accessToken, id, { body: 'Online now?' })).status).toBe(201);
    // The host, connected, is not pushed; the push to the guest's reply below proves the jobs ran.
    expect((await post(host.accessToken, id, { body: 'Here' })).status).toBe(201);
    await until(
      () => pushesTo(otherGuest.principal.id, id),
      (l) => l.length === 1,
    );
    expect(await pushesTo(host.principal.id, id)).toHaveLength(1);
    const [row] = await db()
      .select({ pushedAt: sql<boolean>`host_pushed_at < now() - interval '300 seconds'` })
      .from(schema.conversations)
      .where(sql`${schema.conversations.id} = ${id}`);
    expect(row?.pushedAt).toBe(true);
  });
});

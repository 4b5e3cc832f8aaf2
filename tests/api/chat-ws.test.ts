import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack, UpgradeRefused } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack();
const { db, schema } = await import('#lib/db/index');
afterAll(() => stack.close());

const host = await stack.signIn('host');
const guest = await stack.signIn('user', 'zainab@example.com');
const stranger = await stack.signIn('user');
const { id: listingId } = await publishedListing(stack, host.accessToken, { title: 'VI flat' });
const opened = await stack.api('POST', '/conversations', {
  token: guest.accessToken,
  body: { listingId, message: 'Hello, is parking included?' },
});
expect(opened.status).toBe(201);
const conversationId: string = opened.body.conversation.id;

const unreadOf = async (token: string) =>
  (await stack.api('GET', '/conversations', { token })).body.conversations.find(
    (c: { id: string }) => c.id === conversationId,
  )?.unreadCount;

describe('connecting', () => {
  it('is refused without a valid token: missing, forged or signed out', async () => {
    for (const token of [undefined, 'not-a-token', `${host.accessToken}x`]) {
      const refused = await stack.connect(token).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UpgradeRefused);
      expect((refused as UpgradeRefused).status).toBe(401);
    }
  });
});

describe('a message over the socket', () => {
  it("is stored first, reaches the host on both devices and the guest's other one, and is acked", async () => {
    const hostLaptop = await stack.connect(host.accessToken);
    const hostPhone = await stack.connect(host.accessToken);
    const guestLaptop = await stack.connect(guest.accessToken);
    // The guest's phone, signed in to the same account.
    const guestOther = await stack.connect(guest.accessToken);
    const clientId = randomUUID();
    guestLaptop.send({ action: 'sendMessage', conversationId, body: 'We arrive at 6pm', clientId });

    const ack = await guestLaptop.next((f) => f.type === 'ack');
    expect(ack).toMatchObject({
      clientId,
      message: { body: 'We arrive at 6pm', senderRole: 'user' },
    });
    for (const socket of [hostLaptop, hostPhone, guestOther]) {
      const frame = await socket.next((f) => f.type === 'message');
      expect(frame.message).toEqual(ack.message);
    }
    // The sending connection gets its ack, not the message again.
    await new Promise((r) => setTimeout(r, 200));
    expect(guestLaptop.frames.filter((f) => (f as { type: string }).type === 'message')).toEqual(
      [],
    );
    const history = await stack.api('GET', `/conversations/${conversationId}/messages`, {
      token: host.accessToken,
    });
    expect(history.body.messages[0]).toEqual(ack.message);

    // A resend with the same clientId stores nothing more.
    guestLaptop.send({ action: 'sendMessage', conversationId, body: 'We arrive at 6pm', clientId });
    const again = await guestLaptop.next((f) => f.type === 'ack');
    expect(again.message.id).toBe(ack.message.id);

    // Typing reaches the other side only; reading resets the count and tells the guest.
    expect(await unreadOf(host.accessToken)).toBe(2);
    hostPhone.send({ action: 'typing', conversationId });
    expect(await guestLaptop.next((f) => f.type === 'typing')).toEqual({
      type: 'typing',
      conversationId,
      role: 'host',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(hostLaptop.frames.some((f) => (f as { type: string }).type === 'typing')).toBe(false);
    hostLaptop.send({ action: 'markRead', conversationId });
    const read = await guestOther.next((f) => f.type === 'read');
    expect(read).toMatchObject({ conversationId, role: 'host', lastReadAt: expect.any(String) });
    expect(await unreadOf(host.accessToken)).toBe(0);
    expect(await unreadOf(guest.accessToken)).toBe(0);

    for (const s of [hostLaptop, hostPhone, guestLaptop, guestOther]) await s.close();
  });

  it('answers a stranger not_found and delivers nothing; bad frames get their error, to the sender only', async () => {
    const hostSocket = await stack.connect(host.accessToken);
    const theirs = await stack.connect(stranger.accessToken);
    theirs.send({ action: 'sendMessage', conversationId, body: 'hi', clientId: 'x' });
    expect(await theirs.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    theirs.send({ action: 'sendMessage', conversationId, body: '   ', clientId: 'y' });
    expect(await theirs.next((f) => f.type === 'error')).toMatchObject({
      code: 'validation_failed',
    });
    theirs.send({ action: 'sendMessage', conversationId, body: 'x'.repeat(4001), clientId: 'z' });
    expect(await theirs.next((f) => f.type === 'error')).toMatchObject({
      code: 'validation_failed',
    });
    theirs.send({ action: 'dance' });
    expect(await theirs.next((f) => f.type === 'error')).toMatchObject({ code: 'unknown_action' });
    theirs.send('not json');
    expect(await theirs.next((f) => f.type === 'error')).toMatchObject({ code: 'unknown_action' });
    await new Promise((r) => setTimeout(r, 300));
    expect(hostSocket.frames).toEqual([]);
    await hostSocket.close();
    await theirs.close();
  });

  it('closes a 129 KB frame with 1009', async () => {
    const socket = await stack.connect(guest.accessToken);
    socket.send('x'.repeat(129 * 1024));
    expect((await socket.closed).code).toBe(1009);
  });

  it('forgets a stale connection that answers 410, and still reaches the living ones', async () => {
    const stale = `gone${randomUUID().slice(0, 8)}=`;
    await db()
      .insert(schema.wsConnections)
      .values({
        connectionId: stale,
        role: 'host',
        principalId: host.principal.id,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
    const hostSocket = await stack.connect(host.accessToken);
    const guestSocket = await stack.connect(guest.accessToken);
    guestSocket.send({
      action: 'sendMessage',
      conversationId,
      body: 'Still there?',
      clientId: randomUUID(),
    });
    expect((await hostSocket.next((f) => f.type === 'message')).message.body).toBe('Still there?');
    await guestSocket.next((f) => f.type === 'ack');
    const left = await db()
      .select()
      .from(schema.wsConnections)
      .where(eq(schema.wsConnections.connectionId, stale));
    expect(left).toEqual([]);
    // The sender's own connection is kept.
    const mine = await db()
      .select()
      .from(schema.wsConnections)
      .where(eq(schema.wsConnections.principalId, guest.principal.id));
    expect(mine.length).toBeGreaterThan(0);
    await hostSocket.close();
    await guestSocket.close();
  });

  it('reaches open sockets when sent over HTTP too', async () => {
    const hostSocket = await stack.connect(host.accessToken);
    const sent = await stack.api('POST', `/conversations/${conversationId}/messages`, {
      token: guest.accessToken,
      body: { body: 'Sent from the web app', clientId: randomUUID() },
    });
    expect(sent.status).toBe(201);
    expect((await hostSocket.next((f) => f.type === 'message')).message).toEqual(sent.body.message);
    await hostSocket.close();
  });
});

describe('signing out', () => {
  it("closes that sign-in's sockets, and only those", async () => {
    const other = await stack.signIn('host');
    const ours = await stack.connect(other.accessToken);
    const hostSocket = await stack.connect(host.accessToken);
    const out = await stack.api('POST', '/auth/logout', {
      body: { refreshToken: other.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await ours.closed).code).toBe(1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(hostSocket.socket.readyState).toBe(hostSocket.socket.OPEN);
    const refused = await stack.connect(other.accessToken).catch((e: unknown) => e);
    expect((refused as UpgradeRefused).status).toBe(401);
    await hostSocket.close();
  });
});

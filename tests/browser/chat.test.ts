import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '#tests/support/browser';
import { startLocalStack } from '#tests/support/stack';
import { publishedListing } from '#tests/support/uploads';

const stack = await startLocalStack();
afterAll(() => stack.close());

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Signs in on the chat page as a person does: asks for a code, reads it, types it. */
async function signInOnPage(page: Page, role: 'user' | 'host', email: string) {
  await page.goto(`${stack.gateway.url}/chat`);
  await page.selectOption('#role', role);
  await page.fill('#identifier', email);
  const before = (await stack.outbox()).filter((l) => l.to === email).length;
  await page.click('#request button');
  await expect
    .poll(async () => (await stack.outbox()).filter((l) => l.to === email).length, {
      timeout: 5000,
    })
    .toBeGreaterThan(before);
  const line = (await stack.outbox()).filter((l) => l.to === email).at(-1);
  const code = /\b(\d{6})\b/.exec(String(line?.text))?.[1] ?? '';
  await page.waitForSelector('#verify:not(.hidden)');
  await page.fill('#code', code);
  await page.click('#verify button');
  await page.waitForSelector('body[data-socket="open"]');
  return page.evaluate(
    () => JSON.parse(sessionStorage.getItem('chat') ?? '{}').accessToken as string,
  );
}

const bubbles = (page: Page) => page.locator('#messages li').allTextContents();

describe.skipIf(!hasChromium)('the chat page, in two browsers', () => {
  it('lets a guest and a host chat both ways, with typing and read state, and keeps the history on reload', async () => {
    const guestPage = await (await browser.newContext()).newPage();
    const hostPage = await (await browser.newContext()).newPage();
    const guestToken = await signInOnPage(guestPage, 'user', 'browser-guest@example.com');
    const hostToken = await signInOnPage(hostPage, 'host', 'browser-host@example.com');

    // The guest writes about a listing (the app's listing page would); both pages then list it.
    const { id: listingId } = await publishedListing(stack, hostToken, { title: 'Surulere loft' });
    const opened = await stack.api('POST', '/conversations', {
      token: guestToken,
      body: { listingId, message: 'Hello from the listing page' },
    });
    expect(opened.status).toBe(201);
    await guestPage.reload();
    await hostPage.reload();
    await guestPage.waitForSelector('body[data-socket="open"]');
    await hostPage.waitForSelector('body[data-socket="open"]');
    await expect.poll(() => bubbles(hostPage)).toEqual(['Hello from the listing page']);

    await guestPage.fill('#text', 'Can we check in early?');
    await guestPage.click('#compose button');
    await expect.poll(() => bubbles(hostPage)).toContain('Can we check in early?');
    // The host's page read it as it arrived: the guest sees so.
    await expect.poll(() => guestPage.textContent('#status')).toBe('Read by the host');

    await hostPage.type('#text', 'Yes, from noon.');
    await expect.poll(() => guestPage.textContent('#status')).toBe('Host is typing…');
    await hostPage.click('#compose button');
    await expect.poll(() => bubbles(guestPage)).toContain('Yes, from noon.');

    await guestPage.reload();
    await guestPage.waitForSelector('body[data-socket="open"]');
    await expect
      .poll(() => bubbles(guestPage))
      .toEqual(['Hello from the listing page', 'Can we check in early?', 'Yes, from noon.']);
  }, 60_000);
});

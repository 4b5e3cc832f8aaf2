import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#lib/routes';
import { hasChromium, launchChromium } from '#tests/support/browser';
import { startLocalStack } from '#tests/support/stack';

const stack = await startLocalStack();
afterAll(() => stack.close());

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A page whose every request to another host is aborted and recorded, so a test can assert
 * the page works offline and tries nothing else (fonts, telemetry, a CDN, a proxy).
 */
async function offlinePage(): Promise<{ page: Page; outside: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const outside: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === 'data:' || url.protocol === 'blob:';
    if (local || LOCAL_HOSTS.has(url.hostname)) return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  return { page, outside };
}

describe.skipIf(!hasChromium)('the API reference pages', () => {
  it('renders the HTTP API from /openapi.json, with nothing fetched from outside', async () => {
    const { page, outside } = await offlinePage();
    await page.goto(`${stack.gateway.url}/docs`);
    // Scalar opens the first tag only; a reader opens the auth group in the sidebar.
    const verify = routes.find((r) => r.method === 'POST' && r.path === '/auth/otp/verify');
    expect(verify?.fn.split('/')[0]).toBe('auth');
    await page.getByRole('button', { name: /^auth( Open Group)?$/ }).click({ timeout: 15_000 });
    await expect
      .poll(() => page.getByText(verify?.description ?? '-', { exact: true }).count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.getByText('/auth/otp/verify', { exact: true }).count())
      .toBeGreaterThan(0);
    await page.waitForLoadState('networkidle');
    expect(outside).toEqual([]);
    await page.click('a[href="/docs/ws"]');
    await page.waitForURL(`${stack.gateway.url}/docs/ws`);
  }, 60_000);

  it('renders the WebSocket API from /asyncapi.json, with nothing fetched from outside', async () => {
    const { page, outside } = await offlinePage();
    await page.goto(`${stack.gateway.url}/docs/ws`);
    // An action's name and a server frame's summary, as the AsyncAPI component lays them out.
    await expect
      .poll(() => page.getByText('sendMessage', { exact: true }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('#reference').textContent())
      .toContain('To the sender only: its frame was refused or failed');
    await page.waitForLoadState('networkidle');
    expect(outside).toEqual([]);
    await page.click('a[href="/docs"]');
    await page.waitForURL(`${stack.gateway.url}/docs`);
  }, 60_000);
});

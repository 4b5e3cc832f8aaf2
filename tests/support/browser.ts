import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); nothing downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether this machine has it: the browser tests skip without it. */
export const hasChromium = existsSync(CHROMIUM);

/**
 * A headless chromium with a new, empty profile of Playwright's own and, as the machine's
 * notes say, no background networking (the network is closed here).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

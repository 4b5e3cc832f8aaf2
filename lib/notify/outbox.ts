import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { config } from '#lib/platform/config';
import { logger } from '#lib/platform/log';

export interface OutboxLine {
  channel: 'email' | 'sms' | 'push';
  to: string;
  subject?: string;
  title?: string;
  text: string;
  data?: Record<string, string>;
}

/**
 * Where messages go when no provider is configured (local development): one JSON line
 * each in OUTBOX_FILE, also printed to the console.
 */
export async function writeToOutbox(line: OutboxLine): Promise<void> {
  const entry = { ...line, createdAt: new Date().toISOString() };
  await mkdir(path.dirname(path.resolve(config.OUTBOX_FILE)), { recursive: true });
  await appendFile(config.OUTBOX_FILE, `${JSON.stringify(entry)}\n`);
  logger.info('outbox', { outbox: entry });
}

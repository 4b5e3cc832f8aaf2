import { appendFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Gateway } from '#local/runtime/gateway';

/** One file per test run, where each gateway's count of checked responses is added. */
const tallyFile = (run = process.env.TEST_RUN_ID) =>
  path.join(tmpdir(), `marketplace-response-checks-${run ?? 'none'}.jsonl`);

/**
 * Adds a gateway's count of checked responses to the run's tally, then fails, listing
 * them, if any response it sent broke its contract: called as a test file closes its gateway,
 * so a file whose real responses drift from their contracts fails.
 */
export async function settleResponseChecks(gateway: Pick<Gateway, 'responses'>): Promise<void> {
  const { checked, violations } = gateway.responses;
  await appendFile(tallyFile(), `${JSON.stringify({ checked })}\n`);
  if (violations.length === 0) return;
  throw new Error(
    `${violations.length} response(s) broke their contract:\n${violations.map((v) => `  ${v}`).join('\n')}`,
  );
}

/** The run's total, for the line the test run ends with; the tally file is removed. */
export async function responseCheckTotal(
  run: string,
): Promise<{ checked: number; gateways: number }> {
  const text = await readFile(tallyFile(run), 'utf8').catch(() => '');
  await rm(tallyFile(run), { force: true });
  const lines = text.split('\n').filter(Boolean);
  const checked = lines.reduce((sum, l) => sum + (JSON.parse(l) as { checked: number }).checked, 0);
  return { checked, gateways: lines.length };
}

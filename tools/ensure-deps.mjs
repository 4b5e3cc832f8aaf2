// Installs dependencies when node_modules is missing or older than the lock file, so that
// `npm test` and `npm run dev` work on a fresh clone. Plain JavaScript: it may run on the
// machine's Node before the project's Node 24 is installed.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const stamp = 'node_modules/.deps-stamp';
// The lock file lists the root's dependencies too, so it alone says when to reinstall;
// editing a script in package.json does not.
const hash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');

const installed = existsSync(stamp) && readFileSync(stamp, 'utf8') === hash;
if (!installed || !existsSync('node_modules/node/bin/node')) {
  console.log('Installing dependencies (node_modules is missing or stale)...');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  writeFileSync(stamp, hash);
}

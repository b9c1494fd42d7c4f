// Installs the npm packages when they are missing or older than package-lock.json, so every npm script works
// on a fresh clone. Plain JavaScript on purpose: it runs before TypeScript tooling exists.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.shopflow-lock-hash');

const lockHash = createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex');
const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
if (installed !== lockHash) {
  console.log('Installing the npm packages package-lock.json pins...');
  const started = Date.now();
  // `npm install` rather than `npm ci`: npm 11.19 leaves other platforms' optional packages out of the lock
  // file and then `npm ci` refuses it as out of sync. With a lock file present, `npm install` installs what it pins.
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, `${lockHash}\n`);
  console.log(`npm packages installed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

// Installs the npm packages when they are missing or older than package-lock.json, so every npm script works
// on a fresh clone. Plain JavaScript on purpose: it runs before TypeScript tooling exists.
//
// Everything it prints goes to stderr: the programs behind npm scripts print results on stdout that tests and
// users parse, and an install must never show up there.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.shopflow-lock-hash');

const hashOfLock = () => createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex');
const say = (line) => process.stderr.write(`${line}\n`);
// npm's own output goes to stderr too (fd 2 for both of its streams).
const npm = (args) => execSync(`npm ${args} --no-audit --no-fund`, { cwd: root, stdio: ['ignore', 2, 2] });

const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
if (installed !== hashOfLock()) {
  say('Installing the npm packages package-lock.json pins (npm ci)...');
  const started = Date.now();
  try {
    // npm ci installs exactly what the lock pins and never writes it, so the work tree stays as committed.
    npm('ci');
  } catch {
    say('npm ci refused package-lock.json (it is out of sync with package.json, e.g. after editing a dependency);');
    say('falling back to npm install, which brings the lock file in line: commit the updated package-lock.json.');
    npm('install');
  }
  // The stamp holds the lock as it is after the install, so the next npm script does not install again.
  fs.writeFileSync(stamp, `${hashOfLock()}\n`);
  say(`npm packages installed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

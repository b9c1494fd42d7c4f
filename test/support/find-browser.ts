/**
 * Where the browser tests' Chromium is: SHOPFLOW_CHROMIUM, Debian's or Chrome's usual paths, or Chrome on a Mac.
 * With none, on a Debian-like machine where we are root (CI, this kind of dev box), it installs Debian's chromium
 * once, as the test setup installs the Temporal CLI; anywhere else it says what to install. Never a silent skip.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const NO_BROWSER_MESSAGE =
  'no Chromium or Chrome found for the browser tests: install one (Debian/Ubuntu: apt-get install chromium; ' +
  'macOS: Google Chrome) or set SHOPFLOW_CHROMIUM to its executable';

export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.SHOPFLOW_CHROMIUM?.trim();
  if (chosen) return chosen;
  return CANDIDATES.find((candidate) => fs.existsSync(candidate));
}

/** Finds the browser, installing Debian's chromium when that is possible here; undefined when it is not. */
export function ensureBrowser(log: (line: string) => void): string | undefined {
  const found = findBrowser();
  if (found) return found;
  const canApt =
    process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canApt) return undefined;
  log("Installing Debian's chromium for the browser tests (apt-get install chromium, once)...");
  const quiet = {
    stdio: ['ignore', 'ignore', 'inherit'] as const,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  execFileSync('apt-get', ['update', '-qq'], { ...quiet, stdio: [...quiet.stdio] });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { ...quiet, stdio: [...quiet.stdio] });
  return findBrowser();
}

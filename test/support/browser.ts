/** A real browser for the console tests: Debian's chromium driven by playwright-core (which downloads no browser). */

import { chromium, type Browser } from 'playwright-core';
import { NO_BROWSER_MESSAGE, findBrowser } from './find-browser';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `hostResolverRules`: Chromium's --host-resolver-rules, e.g. "MAP rebound.example 127.0.0.1" (DNS rebinding). */
export async function launchChromium(options: { hostResolverRules?: string } = {}): Promise<Browser> {
  const executablePath = findBrowser();
  if (!executablePath) throw new Error(NO_BROWSER_MESSAGE);
  const extra = options.hostResolverRules ? [`--host-resolver-rules=${options.hostResolverRules}`] : [];
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extra] });
}

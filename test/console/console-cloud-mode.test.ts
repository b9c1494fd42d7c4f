/**
 * The console in cloud mode, as far as it can be tried offline: watching only (no process controls), metrics per
 * minute from CloudWatch GetMetricData, here the local Lambda service's real implementation of it. No fakes.
 */

import type { Browser } from 'playwright-core';
import { startConsole, type RunningConsole } from '../../console/start-console';
import { LOCAL_AWS_CREDENTIALS } from '../../devstack/local-aws-clients';
import { launchChromium } from '../support/browser';
import { testEnv } from '../support/test-env';

let browser: Browser | undefined;
let running: RunningConsole | undefined;
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

test('cloud mode: the page loads clean, shows per-minute metrics, and offers no controls', async () => {
  // Cloud mode takes the SDK's usual credential chain: the environment, here the local service's placeholders.
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_AWS_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_AWS_CREDENTIALS.secretAccessKey;
  running = await startConsole({
    port: 0,
    mode: 'cloud',
    functionName: 'shopflow-worker',
    temporal: {
      connectionOptions: { address: testEnv('address') },
      namespace: 'default',
      profile: 'test',
      summary: testEnv('address'),
    },
    awsEndpoint: testEnv('lambdaEndpoint'),
  });
  expect(running.worker).toBeUndefined();
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(running.url);
  await page.locator('body[data-mode="cloud"][data-live="yes"]').waitFor();
  await page.locator('#chart-summary[data-total-invocations]').waitFor();
  expect(await page.locator('#chart-title').textContent()).toMatch(
    /per 60 s \(CloudWatch API at http:\/\/127\.0\.0\.1:\d+\)/,
  );
  expect(await page.locator('#controls').isVisible()).toBe(false);
  expect(await page.locator('#workers').textContent()).toMatch(/Cloud mode: process controls are off/);
  const token = await page.locator('meta[name="console-token"]').getAttribute('content');
  const refused = await fetch(`${running.url}/api/worker/kill`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url, 'x-shopflow-console-token': token! },
    body: JSON.stringify({ signal: 'SIGKILL' }),
  });
  expect(refused.status).toBe(404);
  expect(((await refused.json()) as { message: string }).message).toMatch(/controls exist only in local mode/);
  // No redeploy from the page either: the button says why, and the route refuses.
  expect(await page.locator('#ship-next').isDisabled()).toBe(true);
  expect(await page.locator('#ship-reason').textContent()).toMatch(
    /cloud mode\): ship a new build with npm run redeploy/,
  );
  const redeploy = await fetch(`${running.url}/api/redeploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url, 'x-shopflow-console-token': token! },
    body: JSON.stringify({ from: 'v2' }),
  });
  expect(redeploy.status).toBe(404);
  expect(errors).toEqual([]);
});

/**
 * The console in cloud mode, as far as it can be tried offline: watching only (no process controls), metrics per
 * minute from CloudWatch GetMetricData, here the local Lambda service's real implementation of it, and the
 * timeline's invocations from the function's REPORT lines in CloudWatch Logs, here moto's. No fakes.
 */

import type { Browser } from 'playwright-core';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startMotoServer, type MotoServer } from '../../machinery/devstack/moto-server';
import type { RunningConsole } from '../../console/start-console';
import { startTestConsole } from '../support/test-console';
import { MOTO_CREDENTIALS, localDeveloperCredentials } from '../../machinery/lambda-local/local-aws-clients';
import { launchChromium } from '../support/browser';

let browser: Browser | undefined;
let running: RunningConsole | undefined;
let moto: MotoServer | undefined;
const savedKeys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
afterAll(async () => {
  // This worker process runs other test files next: leave its environment as it was.
  if (savedKeys.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = savedKeys.id;
  if (savedKeys.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = savedKeys.secret;
  await browser?.close();
  await running?.close();
  await moto?.stop();
});

/** Two invocations of the function as Lambda logs them: a cold one with its INIT, then a warm one. */
async function writeReportLines(endpoint: string): Promise<{ stream: string; requestIds: string[] }> {
  const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint, credentials: MOTO_CREDENTIALS });
  const logGroupName = '/aws/lambda/shopflow-worker';
  const stream = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b`;
  await logs.send(new CreateLogGroupCommand({ logGroupName }));
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: stream }));
  const now = Date.now();
  const requestIds = ['11111111-aaaa-4bbb-8ccc-000000000001', '22222222-aaaa-4bbb-8ccc-000000000002'];
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName: stream,
      logEvents: [
        { timestamp: now - 20_000, message: `START RequestId: ${requestIds[0]} Version: 1` },
        {
          timestamp: now - 15_000,
          message: `REPORT RequestId: ${requestIds[0]}\tDuration: 4200.00 ms\tBilled Duration: 4620 ms\tMemory Size: 1769 MB\tMax Memory Used: 160 MB\tInit Duration: 420.00 ms`,
        },
        {
          timestamp: now - 5_000,
          message: `REPORT RequestId: ${requestIds[1]}\tDuration: 2500.00 ms\tBilled Duration: 2500 ms\tMemory Size: 1769 MB\tMax Memory Used: 162 MB`,
        },
      ],
    }),
  );
  logs.destroy();
  return { stream, requestIds };
}

test('cloud mode: the page loads clean, shows per-minute metrics, and offers no controls', async () => {
  // Cloud mode takes the SDK's usual credential chain: the environment, here the local account's developer keys
  // (its CloudWatch is the local service, which checks signatures; moto takes any).
  const developer = localDeveloperCredentials();
  process.env.AWS_ACCESS_KEY_ID = developer.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = developer.secretAccessKey;
  moto = await startMotoServer();
  // Orders and REPORT lines from this test's time on: the shared dev server holds other tests' orders, whose workers'
  // lanes would otherwise fold this test's environment into "N more Lambda environments".
  const since = new Date(Date.now() - 30_000);
  const reported = await writeReportLines(moto.endpoint);
  running = await startTestConsole({
    mode: 'cloud',
    logsEndpoint: moto.endpoint,
    ordersSince: since,
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

  // The timeline's invocations come from the REPORT lines: both in the ledger, in the lane of their log stream.
  await page.goto(`${running.url}/?view=full`);
  await page.locator('#ledger li').nth(1).waitFor({ timeout: 20_000 });
  const ledger = await page.locator('#ledger li').allTextContents();
  expect(ledger).toEqual([
    expect.stringMatching(/^\d\d:\d\d:\d\d req 22222222 · env-5e6f7a8b: .+ · 2\.5 s billed · 4\.319 GB-s$/),
    expect.stringMatching(/^\d\d:\d\d:\d\d req 11111111 · env-5e6f7a8b: .+ · 4\.6 s billed · 7\.981 GB-s$/),
  ]);
  expect(reported.requestIds).toHaveLength(2);
  // The chart draws on the next frame after the ledger: wait for the lane rather than count it at once.
  await page
    .locator('#timeline-chart [data-lane="env:env-5e6f7a8b"]')
    .first()
    .waitFor({ state: 'attached', timeout: 10_000 });
  // The cold one's INIT is drawn hatched; the page says what the logs cannot tell.
  expect(await page.locator('#timeline-chart g.invocation rect.init').count()).toBe(1);
  expect(await page.locator('#timeline-limits').textContent()).toMatch(
    /^Cloud mode: invocations come from the function.s REPORT log lines/,
  );
  expect(errors).toEqual([]);
});

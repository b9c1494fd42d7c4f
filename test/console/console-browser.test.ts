/**
 * The presenter console in a real browser (Debian's chromium driven by playwright-core) against a real local
 * stack of its own (dev server, local Lambda service, the Lambda package deployed and registered): the page loads
 * clean, bad control input starts nothing, an order runs on the local worker, a killed worker's step finishes on
 * a Lambda, the validator's refusal shows, the chart returns to zero, and "Ship the next build" ships v3 (its guards
 * first), whose new notification shows on the orders it runs. One screenshot per act under data/console.
 *
 * Meanwhile two projectors (1280x720 and 1920x1080, the presenter view) follow the demo's acts as the demo tells
 * them (setAct): each act's key panels wholly on screen, no text out of its box, no text under the minimum size or
 * 7:1 contrast, a running attempt 2 with attempt 1's failure as history; a screenshot per act and size under
 * data/console/projector. The functional page uses ?view=full, today's everything-at-once page.
 */

import fs from 'node:fs';
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { Client, Connection } from '@temporalio/client';
import { DATA_DIR } from '../../machinery/plumbing/project-paths';
import { freePort } from '../../machinery/plumbing/ports';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { startServerlessStack, type ServerlessStack } from '../../machinery/devstack/serverless-stack';
import { startConsole, type RunningConsole } from '../../console/start-console';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS, ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../../config/settings';
import { SLOW_STEP_DURATION_MS } from '../../domain/scenarios';
import { newOrderId, sampleOrder } from '../../client/sample-order';
import { launchChromium } from '../support/browser';
import { auditProjector, openProjectors, waitForAct, type Projector } from '../support/projector';
import { testEnv } from '../support/test-env';
import { startOrder } from '../../client/start-order';

jest.setTimeout(240_000);

/** The few DOM names the functions run inside the page use (this project type-checks for Node, not the DOM). */
interface PageElement {
  textContent: string | null;
  content: string;
  dataset: Record<string, string | undefined>;
}
declare const document: {
  querySelector<T = PageElement>(selector: string): T | null;
  querySelectorAll(selector: string): { length: number } & Iterable<PageElement>;
};

const SCREENSHOTS = path.join(DATA_DIR, 'console');
const PROJECTOR_SHOTS = path.join(SCREENSHOTS, 'projector');
/** The demo's acts (demo/run-demo.ts), told to the console as the demo's narrator tells them. */
const DEMO_ACTS = {
  1: 'the stage',
  2: 'orders on the local worker',
  3: 'the local worker dies',
  4: 'scale to zero',
  5: 'ship v3 live',
} as const;
/** The panels each act must show on screen (console/web/presenter-layout.ts). */
const KEY_PANELS: Record<keyof typeof DEMO_ACTS, string[]> = {
  1: ['workers', 'versions'],
  2: ['orders'],
  3: ['timeline', 'orders'],
  4: ['chart', 'workload'],
  5: ['versions', 'orders'],
};
/** Panels whose newest rows are on top and whose older ones may scroll inside the panel. */
const SCROLLING_PANELS = ['orders', 'log'];
let projectors: Projector[] = [];
/** The slow order of act 4 (later slow orders, such as the CLI-cancelled one, come on top of the board). */
let failoverOrderId = '';
const stoppers: { name: string; stop: () => Promise<void> | void }[] = [];
let stack: ServerlessStack;
let consoleApp: RunningConsole;
let browser: Browser;
let page: Page;
let client: Client;
let releaseDir: string;
const pageErrors: string[] = [];

/** Tells the console the demo's act, then checks what both projectors show for it. */
async function projectAct(act: keyof typeof DEMO_ACTS): Promise<void> {
  consoleApp.setAct({ number: act, title: DEMO_ACTS[act], waitingForNext: false });
  for (const { page: projector, label, size } of projectors) {
    await waitForAct(projector, act);
    const audit = await auditProjector(projector, KEY_PANELS[act]);
    expect({ act, label, panels: audit.panels }).toEqual({
      act,
      label,
      panels: KEY_PANELS[act].map((name) =>
        expect.objectContaining({
          name,
          shown: true,
          inViewport: true,
          overflowsSideways: false,
          // The board and the log may scroll inside, newest first on screen; every other panel shows all it has.
          ...(SCROLLING_PANELS.includes(name) ? { firstItemInside: true } : { scrollsInside: false }),
        }),
      ),
    });
    expect({ act, label, overflows: audit.overflows, pageScrolls: audit.pageScrolls }).toEqual({
      act,
      label,
      overflows: [],
      pageScrolls: false,
    });
    expect({ act, label, lowContrast: audit.lowContrast }).toEqual({ act, label, lowContrast: [] });
    // The minimum: 2.25% of the screen's height (16 px at 720 px, 24 px at 1080 px).
    expect(audit.minFont.px).toBeGreaterThanOrEqual(Math.floor(size.height * 0.0225));
    await projector.screenshot({ path: path.join(PROJECTOR_SHOTS, `act-${act}-${label}.png`) });
  }
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function ordersStarted(): Promise<number> {
  const { count } = await client.workflow.count(`WorkflowType = '${ORDER_WORKFLOW_TYPE}'`);
  return count;
}

/** The newest row of a scenario on the board. */
function row(scenario: string) {
  return page.locator(`#orders tbody tr[data-scenario="${scenario}"]`).first();
}

beforeAll(async () => {
  fs.mkdirSync(PROJECTOR_SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'console-'));
  const journalPath = path.join(dir, 'journal.jsonl');
  releaseDir = dir;
  stack = await startServerlessStack({
    dir,
    functionName: 'shopflow-worker',
    journalPath,
    own: (name, stop) => stoppers.push({ name, stop }),
    step: () => {},
    choosePort: () => freePort(),
    identity: 'console-test',
    functionEnvironment: { SHOPFLOW_LATENCY_SCALE: '0', SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '2000' },
  });
  client = new Client({
    connection: await Connection.connect({ address: stack.server.address }),
    namespace: 'default',
  });
  stoppers.push({ name: 'client', stop: () => client.connection.close() });
  consoleApp = await startConsole({
    port: 0,
    functionName: 'shopflow-worker',
    temporal: {
      connectionOptions: { address: stack.server.address },
      namespace: 'default',
      profile: 'test',
      summary: `${stack.server.address}, namespace default`,
    },
    awsEndpoint: stack.lambda.endpoint,
    workerEnv: { SHOPFLOW_JOURNAL: journalPath, SHOPFLOW_LATENCY_SCALE: '0' },
    releaseDir,
  });
  stoppers.push({ name: 'console', stop: () => consoleApp.close() });
  browser = await launchChromium();
  stoppers.push({ name: 'browser', stop: () => browser.close() });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    // The refusals the acts provoke on purpose show as failed /api/ requests; anything else is an error.
    const refused = /status of 4\d\d/.test(message.text()) && message.location().url.includes('/api/');
    if (message.type() === 'error' && !refused) pageErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 180_000);

afterAll(async () => {
  for (const { stop } of stoppers.reverse()) await Promise.resolve(stop()).catch(() => undefined);
});

test('act 1: the page loads offline with no console errors', async () => {
  const started = Date.now();
  await page.goto(`${consoleApp.url}/?view=full`);
  await page.locator('body[data-live="yes"][data-view="full"]').waitFor();
  await page.locator('#chart-summary[data-total-invocations]').waitFor();
  console.log(`console page live with chart in ${Date.now() - started} ms`);
  await expect(page.locator('#context').textContent()).resolves.toMatch(/local mode/);
  await expect(page.locator('#controls').isVisible()).resolves.toBe(true);
  // The page names no secret: the only token is the console's own per-run control token.
  const html = await page.content();
  expect(html).not.toMatch(/secretAccessKey|apiKey|TEMPORAL_API_KEY/i);
  await shot('act-1-page-loaded');
  projectors = await openProjectors(browser, consoleApp.url);
  for (const { page: projector } of projectors) projector.on('pageerror', (err) => pageErrors.push(err.message));
  await projectAct(1);
  expect(pageErrors).toEqual([]);
});

test('act 2: bad control input is refused with a clear error, and no order starts', async () => {
  const message = page.locator('#control-message');
  await page.fill('#order-count', '0');
  await page.click('#submit-orders');
  await page.locator('#control-message.error').waitFor();
  expect(await message.textContent()).toMatch(/count 0 is out of range: submit a whole number of orders from 1 to 200/);
  await page.fill('#order-count', '1000000');
  await page.click('#submit-orders');
  await page.waitForFunction(() =>
    /count 1000000 is out of range/.test(document.querySelector('#control-message')?.textContent ?? ''),
  );

  // From the page but an unknown scenario, and without the token.
  const fromPage = await page.evaluate(async () => {
    const token = document.querySelector('meta[name="console-token"]')!.content;
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { message: string } }));
    return {
      unknown: await post({ scenario: 'free-money', count: 1 }, { 'x-shopflow-console-token': token }),
      noToken: await post({ scenario: 'happy', count: 1 }, {}),
      fraction: await post({ scenario: 'happy', count: 1.5 }, { 'x-shopflow-console-token': token }),
    };
  });
  expect(fromPage.unknown.status).toBe(400);
  expect(fromPage.unknown.body.message).toMatch(/unknown scenario "free-money": choose one of happy, decline/);
  expect(fromPage.noToken.status).toBe(403);
  expect(fromPage.noToken.body.message).toMatch(/token/);
  expect(fromPage.fraction.status).toBe(400);

  // Another site's page, even with the right token, may not control the console.
  const token = await page.locator('meta[name="console-token"]').getAttribute('content');
  const foreign = await fetch(`${consoleApp.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://evil.example', 'x-shopflow-console-token': token! },
    body: JSON.stringify({ scenario: 'happy', count: 1 }),
  });
  expect(foreign.status).toBe(403);
  expect(((await foreign.json()) as { message: string }).message).toMatch(
    /Origin "http:\/\/evil.example" may not control this console/,
  );
  // A page on another name that resolves here (DNS rebinding) gets nothing, not even the token.
  const rebound = await new Promise<number>((resolve, reject) =>
    http
      .get(
        `${consoleApp.url}/`,
        { headers: { host: 'evil.example' } },
        (res) => (res.resume(), resolve(res.statusCode ?? 0)),
      )
      .on('error', reject),
  );
  expect(rebound).toBe(403);

  await shot('act-2-bad-input-refused');
  expect(await ordersStarted()).toBe(0);
});

test('act 3: an order submitted from the page appears and completes on the local worker', async () => {
  await page.click('#worker-start');
  await page.locator('[data-local-worker="running"]').waitFor({ timeout: 60_000 });
  await page.fill('#order-count', '1');
  await page.selectOption('#order-scenario', 'happy');
  await page.click('#submit-orders');
  await page.waitForFunction(() =>
    /submitted 1 "happy" order/.test(document.querySelector('#control-message')?.textContent ?? ''),
  );
  await row('happy').locator('[data-order-state="COMPLETED"]').waitFor({ timeout: 30_000 });
  expect(await row('happy').locator('[data-step][data-state="completed"]').count()).toBe(4);
  expect(await row('happy').locator('[data-worker-kind="local"]').count()).toBe(4);
  await shot('act-3-order-on-local-worker');
  await projectAct(2);
});

test('act 4: after "kill local worker" the interrupted step is finished by a Lambda', async () => {
  await page.selectOption('#order-scenario', 'slow');
  await page.click('#submit-orders');
  const shipment = row('slow').locator('[data-step="createShipment"]');
  await shipment.locator('[data-worker-kind="local"]').waitFor({ timeout: 30_000 });
  failoverOrderId = (await row('slow').getAttribute('data-workflow-id'))!;
  const localPid = (await shipment.locator('[data-worker-kind="local"]').textContent())!.replace('local pid ', '');
  // Killed 5 s or more into the 20 s shipment, so the retry has a checkpoint to resume from (the timeline's bar
  // carries the progress the heartbeats report).
  const firstAttempt = `#timeline-chart rect.bar[data-workflow-id="${failoverOrderId}"][data-activity="createShipment"][data-attempt="1"]`;
  await page.waitForFunction(
    (selector) => Number(document.querySelector(selector)?.dataset.progressMs ?? 0) >= 5_000,
    firstAttempt,
    { timeout: 30_000 },
  );
  await page.click('#worker-kill');
  await page.locator('[data-local-worker="killed"]').waitFor({ timeout: 10_000 });
  await shipment.locator('[data-worker-kind="lambda"]').waitFor({ timeout: 60_000 });
  // Attempt 2 on the Lambda: its own state and worker; attempt 1's failure is history, not its error.
  const attempt2 = await shipment.evaluate((cell) => ({
    state: cell.getAttribute('data-state'),
    attempt: cell.getAttribute('data-attempt'),
    history: cell.querySelector('[data-previous-attempt]')?.textContent,
    currentFailure: cell.querySelector('[data-current-failure]')?.textContent ?? null,
    text: cell.textContent,
  }));
  expect(attempt2).toEqual({
    state: expect.stringMatching(/^(running|completed)$/),
    attempt: '2',
    history: `attempt 1 on local pid ${localPid}: heartbeat timeout`,
    currentFailure: null,
    text: expect.not.stringMatching(/Timeout activity/),
  });
  console.log(`shipment cell while on the Lambda (${attempt2.state}): ${attempt2.text}`);
  await projectAct(3);
  for (const { page: projector } of projectors) {
    const cell = projector.locator(
      `#orders tr[data-scenario="slow"] [data-step="createShipment"] [data-previous-attempt="1"]`,
    );
    expect(await cell.textContent()).toBe(`attempt 1 on local pid ${localPid}: heartbeat timeout`);
  }
  await page
    .locator('.env.busy, .env.cold-start')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  await shot('act-4-step-on-lambda');
  await row('slow').locator('[data-order-state="COMPLETED"]').waitFor({ timeout: 60_000 });
  expect(await shipment.getAttribute('data-state')).toBe('completed');
  expect(await shipment.locator('[data-worker-kind="lambda"]').textContent()).toMatch(
    /^Lambda req [0-9a-f]{8} · env-[0-9a-f]{8}$/,
  );
  expect(await row('slow').locator('[data-step="notifyCustomer"] [data-worker-kind="lambda"]').count()).toBe(1);
  expect(await page.locator('#log [data-kind="kill"]').count()).toBeGreaterThan(0);
  await expectFailoverOnTheTimeline(failoverOrderId);
});

/** The timeline draws the failover: the kill, attempt 1 in the laptop's lane, attempt 2 resumed on a Lambda's. */
async function expectFailoverOnTheTimeline(workflowId: string): Promise<void> {
  const shipment = `#timeline-chart rect.bar[data-workflow-id="${workflowId}"][data-activity="createShipment"]`;
  await page.locator(`${shipment}[data-attempt="2"][data-outcome="completed"]`).waitFor({ timeout: 10_000 });
  const seen = await page.evaluate((selector) => {
    const bar = (n: number) => {
      const d = document.querySelector(`${selector}[data-attempt="${n}"]`)!.dataset;
      const lane = document.querySelector(`${selector}[data-attempt="${n}"]`)!.dataset.lane;
      return {
        lane,
        outcome: d.outcome,
        startedAt: Number(d.startedAt),
        endedAt: Number(d.endedAt),
        resumedFromMs: d.resumedFromMs === undefined ? undefined : Number(d.resumedFromMs),
      };
    };
    const kill = document.querySelector('#timeline-chart [data-mark="kill"]')?.dataset;
    return {
      first: bar(1),
      second: bar(2),
      killAt: Number(kill?.at),
      killLabel: document.querySelector('#timeline-chart [data-mark-label="kill"]')?.textContent,
    };
  }, shipment);
  expect(seen.killLabel).toMatch(/^kill: local pid \d+ killed by SIGKILL$/);
  expect(seen.first).toMatchObject({ lane: expect.stringMatching(/^local:\d+$/), outcome: 'timed out' });
  expect(seen.second).toMatchObject({ lane: expect.stringMatching(/^env:env-[0-9a-f]{8}$/), outcome: 'completed' });
  expect(seen.first.startedAt).toBeLessThan(seen.killAt);
  expect(seen.second.startedAt).toBeGreaterThan(seen.killAt);
  // The checkpoint: what attempt 1 had done at the kill, less at most one heartbeat interval (1 s), never more.
  const doneAtKill = seen.killAt - seen.first.startedAt;
  expect(seen.second.resumedFromMs).toBeGreaterThanOrEqual(doneAtKill - ACTIVITY_HEARTBEAT_INTERVAL_MS - 250);
  expect(seen.second.resumedFromMs).toBeLessThanOrEqual(doneAtKill + 250);
  // And the retry did only the rest of the 20 s shipment (plus the steps' own overhead), not all of it again.
  const retryTook = seen.second.endedAt - seen.second.startedAt;
  expect(retryTook).toBeLessThan(SLOW_STEP_DURATION_MS - seen.second.resumedFromMs! + 1_500);
  expect(retryTook).toBeGreaterThanOrEqual(SLOW_STEP_DURATION_MS - seen.second.resumedFromMs! - 250);
  console.log(
    `timeline: killed ${(doneAtKill / 1000).toFixed(1)} s into the shipment; the retry on the Lambda resumed from ${(seen.second.resumedFromMs! / 1000).toFixed(1)} s and took ${(retryTook / 1000).toFixed(1)} s`,
  );
}

test("act 5: the worker starts again; cancelling after the shipment shows the validator's refusal", async () => {
  await page.click('#worker-start');
  await page.locator('[data-local-worker="running"]').waitFor({ timeout: 60_000 });
  // Started elsewhere (as the starter would) and found by the console through visibility: the notification
  // service fails three times, so the order stays open for a few seconds after the shipment exists.
  const order = {
    ...sampleOrder(`${newOrderId()}-late`, 'happy'),
    faults: { transientFailures: { notifyCustomer: 3 } },
  };
  await startOrder(client, order);
  const late = page.locator(`#orders tbody tr[data-workflow-id="${orderWorkflowId(order.orderId)}"]`);
  await late.locator('[data-step="createShipment"][data-state="completed"]').waitFor({ timeout: 30_000 });
  await late.locator('button.cancel').click();
  await page.waitForFunction(
    () => /refused/.test(document.querySelector('#control-message')?.textContent ?? ''),
    undefined,
    { timeout: 45_000 },
  );
  expect(await page.locator('#control-message').textContent()).toMatch(
    /the order refused to be cancelled: the shipment exists: the order can no longer be cancelled/,
  );
  await shot('act-5-cancel-refused');
  await late.locator('[data-order-state="COMPLETED"]').waitFor({ timeout: 60_000 });
  expect(await late.locator('[data-step="notifyCustomer"]').textContent()).toMatch(/attempt 4/);
});

test('act 5b: a cancellation sent with the Temporal CLI shows on the row and in the log, with who sent it', async () => {
  const order = sampleOrder(`${newOrderId()}-cli-cancel`, 'slow');
  await startOrder(client, order);
  const workflowId = orderWorkflowId(order.orderId);
  const cancelled = page.locator(`#orders tbody tr[data-workflow-id="${workflowId}"]`);
  await cancelled.locator('[data-step="createShipment"][data-state="running"]').waitFor({ timeout: 30_000 });
  const cli = await new Promise<{ code: number; output: string }>((resolve) =>
    execFile(
      testEnv('cli'),
      ['workflow', 'cancel', '--workflow-id', workflowId, '--address', stack.server.address, '--namespace', 'default'],
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }),
    ),
  );
  expect(cli).toEqual({ code: 0, output: expect.stringMatching(/cancel/i) });
  // The CLI's own identity, as the history's WorkflowExecutionCancelRequested records it.
  const line = cancelled.locator('[data-cancel-requested-by]');
  await line.waitFor({ timeout: 15_000 });
  const identity = await line.getAttribute('data-cancel-requested-by');
  expect(identity).toMatch(/^temporal-cli:/);
  expect((await line.textContent())?.replace(/\d\d:\d\d:\d\d$/, 'hh:mm:ss')).toBe(
    `cancellation requested by ${identity} at hh:mm:ss`,
  );
  await page.waitForFunction(
    (text) => (document.querySelector('#log')?.textContent ?? '').includes(text),
    `cancellation requested from outside by ${identity}`,
  );
  await cancelled
    .locator('[data-order-state]:not([data-order-state="RUNNING"]):not([data-order-state="COMPENSATING"])')
    .waitFor({ timeout: 60_000 });
});

test('act 6: the chart shows the invocations and returns to zero; an idle console invokes nothing', async () => {
  await page.click('#worker-drain');
  const summary = page.locator('#chart-summary');
  expect(Number(await summary.getAttribute('data-total-invocations'))).toBeGreaterThan(0);
  await page.waitForFunction(
    () => {
      const s = document.querySelector('#chart-summary')?.dataset;
      return s?.lastInvocations === '0' && s?.lastConcurrency === '0';
    },
    undefined,
    { timeout: 40_000 },
  );
  await page.locator('.env.busy, .env.cold-start').first().waitFor({ state: 'detached', timeout: 20_000 });
  const before = stack.lambda.metrics.invocationsOf('shopflow-worker').length;
  await page.waitForTimeout(12_000);
  expect(stack.lambda.metrics.invocationsOf('shopflow-worker').length).toBe(before);
  // The timeline's wake-up ledger: every invocation, each with what woke it; the count back at zero is marked.
  await page.locator('#timeline-chart [data-mark="back to zero"]').waitFor({ state: 'attached', timeout: 5_000 });
  const ledger = await page.evaluate(() =>
    [...(document.querySelectorAll('#ledger li') as unknown as PageElement[])].map((li) => ({
      cause: li.dataset.cause,
      text: li.textContent ?? '',
    })),
  );
  expect(ledger).toHaveLength(before);
  for (const entry of ledger) {
    expect(entry.cause).toMatch(/^(registration check|tasks|no task|query or update|failed)$/);
    expect(entry.text).toMatch(
      /^\d\d:\d\d:\d\d req [0-9a-f]{8} · env-[0-9a-f]{8}: .+ · \d+\.\d s billed · \d+\.\d{3} GB-s$/,
    );
  }
  // Oldest last: the registration's check of v2, then the failover's work naming its order.
  expect(ledger.at(-1)).toMatchObject({ cause: 'registration check' });
  expect(ledger.some((e) => e.cause === 'tasks' && e.text.includes(failoverOrderId.replace(/^order-/, '')))).toBe(true);
  // Hovering a span shows its ledger entry above the list; clicking it highlights that entry.
  const span = page.locator('#timeline-chart g.invocation[data-cause="tasks"]').first();
  const requestId = (await span.getAttribute('data-request-id'))!;
  const entry = (await page.locator(`#ledger li[data-request-id="${requestId}"]`).textContent())!;
  await span.dispatchEvent('mouseenter');
  const detail = (await page.locator('#timeline-detail').textContent())!;
  expect([detail.slice(0, entry.length), detail.slice(entry.length)]).toEqual([
    entry,
    expect.stringMatching(/^, (cold start \d+\.\d s|warm start)$/),
  ]);
  await span.dispatchEvent('click');
  await page.locator(`#ledger li.selected[data-request-id="${requestId}"]`).waitFor({ timeout: 5_000 });
  await page.locator('#timeline-chart').screenshot({ path: path.join(SCREENSHOTS, 'timeline-back-to-zero.png') });
  await shot('act-6-back-to-zero');
  await projectAct(4);
  for (const { page: projector } of projectors) {
    // Off the chart, the legend gives the last bucket's values, never placeholders.
    const legend = projector.locator('#chart-legend');
    expect(await legend.getAttribute('data-showing')).toBe('last');
    expect(await legend.textContent()).toMatch(
      /^last bucket \d\d:\d\d:\d\d \(10 s\):invocations 0errors 0throttles 0concurrency 0$/,
    );
    // The answer for a workload, large: the serverless worker's month beside the always-on fleet's.
    expect(await projector.locator('#workload-answer [data-answer="serverless"] b').textContent()).toMatch(/^\$\d/);
    expect(await projector.locator('#workload-answer [data-answer="fleet"] b').textContent()).toMatch(/^\$\d/);
  }
  // Over the chart, the legend gives the bucket under the pointer.
  const { page: projector } = projectors[0];
  const box = (await projector.locator('#chart').boundingBox())!;
  await projector.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await projector.locator('#chart-legend[data-showing="hover"]').waitFor();
  expect(await projector.locator('#chart-legend').textContent()).toMatch(
    /^bucket \d\d:\d\d:\d\d \(10 s\):invocations \d+/,
  );
  await projector.mouse.move(5, 5);
  await projector.locator('#chart-legend[data-showing="last"]').waitFor();
  expect(pageErrors).toEqual([]);
});

/** The function's published versions, from the local Lambda service (the AWS SDK, as the AWS CLI would). */
async function publishedVersions(): Promise<string[]> {
  const lambda = localAwsClient(LambdaClient, stack.lambda.endpoint);
  try {
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'shopflow-worker' }));
    return (Versions ?? []).map((v) => v.Version!).filter((v) => v !== '$LATEST');
  } finally {
    lambda.destroy();
  }
}

test('act 7: "Ship the next build" refuses bad requests, then ships v3; its orders carry the new notification', async () => {
  const button = page.locator('#ship-next');
  await page.waitForFunction(() => /v2 → v3/.test(document.querySelector('#ship-next')?.textContent ?? ''));
  expect(await button.isEnabled()).toBe(true);
  await page.locator('#versions tr[data-build-id="v2"][data-status="CURRENT"]').waitFor();
  const before = await publishedVersions();

  const refusals = await page.evaluate(async () => {
    const token = document.querySelector('meta[name="console-token"]')!.content;
    const post = (body: unknown, headers: Record<string, string>) =>
      fetch('/api/redeploy', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, message: ((await r.json()) as { message: string }).message }));
    const withToken = { 'x-shopflow-console-token': token };
    return {
      notABuildId: await post({ from: 'v2; rm -rf /' }, withToken),
      missing: await post({}, withToken),
      stale: await post({ from: 'v1' }, withToken),
      noToken: await post({ from: 'v2' }, {}),
    };
  });
  expect(refusals.notABuildId).toEqual({
    status: 400,
    message: expect.stringMatching(/^from "v2; rm -rf \/" is not a build id: send the Current Version the page shows/),
  });
  expect(refusals.missing.status).toBe(400);
  expect(refusals.stale).toEqual({
    status: 409,
    message: 'the Current Version is v2 now, not v1: look at the version table, then press the button again',
  });
  expect(refusals.noToken.status).toBe(403);
  const token = await page.locator('meta[name="console-token"]').getAttribute('content');
  const foreign = await fetch(`${consoleApp.url}/api/redeploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://evil.example', 'x-shopflow-console-token': token! },
    body: JSON.stringify({ from: 'v2' }),
  });
  expect(foreign.status).toBe(403);
  // Nothing was built or published for any of them.
  expect(await publishedVersions()).toEqual(before);
  expect(fs.existsSync(path.join(releaseDir, 'function-v3.zip'))).toBe(false);

  const started = Date.now();
  await button.click();
  await page.locator('#redeploy-state[data-state="running"]').waitFor();
  // While it runs, the button waits and says why; a second press is refused.
  expect(await button.isDisabled()).toBe(true);
  expect(await page.locator('#ship-reason').textContent()).toMatch(/a redeploy is running \(started by the page at/);
  const second = await fetch(`${consoleApp.url}/api/redeploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: consoleApp.url, 'x-shopflow-console-token': token! },
    body: JSON.stringify({ from: 'v2' }),
  });
  expect(second.status).toBe(409);
  await page.locator('#redeploy-state[data-state="done"]').waitFor({ timeout: 120_000 });
  console.log(
    `"Ship the next build": v3 built and current ${((Date.now() - started) / 1000).toFixed(1)} s after the click`,
  );
  const lines = await page.locator('#redeploy-lines').textContent();
  expect(lines).toMatch(
    /building v3 \(npm run build:lambda with SHOPFLOW_BUILD_ID=v3 SHOPFLOW_RELEASE_FEATURES=tracking-link/,
  );
  expect(lines).toMatch(/Registered arn:aws:lambda:\S+:function:shopflow-worker:\d+ as shopflow\/v3 \(created\)/);
  expect(lines).toMatch(/redeploy took \d+\.\d s after the build/);
  const v3 = page.locator('#versions tr[data-build-id="v3"][data-status="CURRENT"]');
  await v3.waitFor();
  const published = await publishedVersions();
  expect(published).toHaveLength(before.length + 1);
  expect(await v3.locator('td').nth(3).textContent()).toBe(published[published.length - 1]);
  // v2 has no open order: the server finds it drained within seconds, and the table (read every 5 s) says so.
  await page.locator('#versions tr[data-build-id="v2"][data-status="DRAINED"]').waitFor({ timeout: 30_000 });
  expect(await button.isEnabled()).toBe(true);
  expect(await button.textContent()).toBe('Ship the next build (v3 → v4)');

  // Temporal's check of v3 invokes it once; then a new order runs on v3 and sends v3's notification.
  await page.locator('.env.busy, .env.cold-start').first().waitFor({ state: 'detached', timeout: 30_000 });
  const happyRows = page.locator('#orders tbody tr[data-scenario="happy"]');
  const happyBefore = await happyRows.count();
  await page.fill('#order-count', '1');
  await page.selectOption('#order-scenario', 'happy');
  await page.click('#submit-orders');
  await page.waitForFunction(
    (n) => document.querySelectorAll('#orders tbody tr[data-scenario="happy"]').length > n,
    happyBefore,
  );
  const fresh = row('happy');
  await fresh.locator('[data-order-state="COMPLETED"]').waitFor({ timeout: 60_000 });
  const notify = fresh.locator('[data-step="notifyCustomer"]');
  expect(await notify.locator('[data-worker-kind="lambda"]').count()).toBe(1);
  expect(await notify.textContent()).toMatch(/Track it: https:\/\/shopflow\.example\/track\/ord-/);
  // The v2 order of act 4 sent v2's notification, without the link.
  const old = await page
    .locator(`#orders tbody tr[data-workflow-id="${failoverOrderId}"] [data-step="notifyCustomer"]`)
    .textContent();
  expect(old).toMatch(/sent "Order \S+ confirmed/);
  expect(old).not.toMatch(/Track it/);
  await shot('act-7-v3-shipped');
  await projectAct(5);
  expect(pageErrors).toEqual([]);
});

test('200 orders: the timeline merges its bars, stays drawn, and we measure its frame time and load time', async () => {
  await page.click('#worker-start');
  await page.locator('[data-local-worker="running"]').waitFor({ timeout: 60_000 });
  const completedBefore = await page.locator('#orders tbody tr [data-order-state="COMPLETED"]').count();
  await page.fill('#order-count', '200');
  await page.selectOption('#order-scenario', 'happy');
  // Frame intervals while the burst is drawn: requestAnimationFrame's spacing is the page's frame time.
  await page.evaluate(() => {
    const w = globalThis as unknown as { frames: number[]; requestAnimationFrame(cb: (t: number) => void): void };
    w.frames = [];
    let last = 0;
    const tick = (t: number) => {
      if (last) w.frames.push(t - last);
      last = t;
      if (w.frames.length < 100_000) w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
  await page.click('#submit-orders');
  await page.waitForFunction(
    (n) => document.querySelectorAll('#orders tbody tr [data-order-state="COMPLETED"]').length >= n + 200,
    completedBefore,
    { timeout: 180_000, polling: 1_000 },
  );
  await page.locator('#timeline-chart[data-merged="true"]').waitFor({ timeout: 10_000 });
  const frames = (await page.evaluate(() => (globalThis as unknown as { frames: number[] }).frames)).sort(
    (a, b) => a - b,
  );
  const at = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
  const renderMs = Number(await page.locator('#timeline-chart').getAttribute('data-render-ms'));
  const slowestRenderMs = Number(await page.locator('#timeline-chart').getAttribute('data-slowest-render-ms'));
  // Merged: one bar per lane, step and stretch of overlapping attempts, so a few dozen shapes, not 800 bars.
  const bars = await page.locator('#timeline-chart rect.bar').count();
  expect(bars).toBeGreaterThan(0);
  expect(bars).toBeLessThan(400);
  expect(Number(await page.locator('#timeline-chart').getAttribute('data-lanes'))).toBeLessThanOrEqual(8);
  // A fresh page with the 200 orders: from navigation to the timeline drawn.
  const fresh = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const loadStarted = Date.now();
  await fresh.goto(`${consoleApp.url}/?view=full`);
  await fresh.locator('#timeline-chart[data-merged="true"] rect.bar').first().waitFor({ timeout: 30_000 });
  const loadMs = Date.now() - loadStarted;
  await fresh.close();
  console.log(
    `timeline with 200 orders: frame time p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ` +
      `${frames[frames.length - 1].toFixed(1)} ms over ${frames.length} frames; timeline redraw ${renderMs} ms (slowest ${slowestRenderMs} ms); ` +
      `${bars} merged bars; page load to timeline drawn ${loadMs} ms`,
  );
  await page.locator('#timeline-chart').screenshot({ path: path.join(SCREENSHOTS, 'timeline-200-orders.png') });
  expect(pageErrors).toEqual([]);
});

test('with JavaScript off, the page says what it needs instead of "connecting…" forever', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 720 } });
  try {
    const noScript = await context.newPage();
    await noScript.goto(consoleApp.url);
    const notice = noScript.locator('#needs-javascript');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(
      /This console needs JavaScript\.[\s\S]*Allow JavaScript for this address/,
    );
    expect(await noScript.locator('#connection').textContent()).toBe('needs JavaScript');
    await noScript.screenshot({ path: path.join(PROJECTOR_SHOTS, 'no-javascript-1280x720.png') });
  } finally {
    await context.close();
  }
});

test('when the live feed cannot connect, the page says so after a few seconds and what to do', async () => {
  const blocked = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    // The page loads, but its event stream is refused, as when a proxy or a stopped console is in the way.
    await blocked.route('**/events', (route) => route.abort('connectionrefused'));
    const loaded = Date.now();
    await blocked.goto(consoleApp.url);
    const notice = blocked.locator('#stream-notice');
    await notice.waitFor({ state: 'visible', timeout: 10_000 });
    expect(Date.now() - loaded).toBeGreaterThanOrEqual(3_000);
    expect(await notice.textContent()).toMatch(
      /^No live data from the console for 4 s\. This page needs the console process that served it \(npm run demo or npm run console\) running at 127\.0\.0\.1:\d+/,
    );
    await blocked.screenshot({ path: path.join(PROJECTOR_SHOTS, 'no-stream-1280x720.png') });
  } finally {
    await blocked.close();
  }
});

/**
 * "Your workload" in a real browser against a real console: the inputs come from the URL, typing changes the
 * numbers, the chart and the URL, bad input is refused naming the field and nothing else changes, and the link
 * round-trips. The figures on the page are the model's (cost/cost-model.ts, unit-tested by hand in
 * test/unit/cost-model.test.ts) over the committed measurements.
 */

import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningConsole } from '../../console/start-console';
import { startTestConsole } from '../support/test-console';
import { breakEvenOrdersPerDay, costOf } from '../../cost/cost-model';
import { loadMeasuredTraffic } from '../../cost/load-measured-traffic';
import { parseWorkload } from '../../cost/parse-workload';
import { DATA_DIR } from '../../machinery/plumbing/project-paths';
import { launchChromium } from '../support/browser';

let browser: Browser | undefined;
let running: RunningConsole | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  running = await startTestConsole();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** What the model says for a workload given as URL text, in the page's own rounding. */
function expected(text: Record<string, string>) {
  const parsed = parseWorkload(text);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const traffic = loadMeasuredTraffic();
  const answer = costOf(parsed.workload, parsed.fleet, traffic);
  const even = breakEvenOrdersPerDay(parsed.workload, parsed.fleet, traffic);
  return {
    serverlessUsd: answer.serverless.usdPerMonth.toFixed(4),
    alwaysOnUsd: answer.alwaysOn.usdPerMonth.toFixed(4),
    breakEven: even === undefined ? 'none' : even.toFixed(0),
    cheaper: answer.cheaper,
  };
}

async function shown() {
  const answer = page.locator('#workload-answer');
  return {
    serverlessUsd: await answer.getAttribute('data-serverless-usd'),
    alwaysOnUsd: await answer.getAttribute('data-always-on-usd'),
    breakEven: await answer.getAttribute('data-break-even'),
    cheaper: await answer.getAttribute('data-cheaper'),
  };
}

test('the workload comes from the URL, and typing changes the numbers, the chart and the URL', async () => {
  const linked = { 'orders-per-day': '20000', 'busy-hours': '10', fleet: '3xt3.medium', arch: 'x86_64' };
  await page.goto(`${running!.url}/?view=full&${new URLSearchParams(linked).toString()}`);
  await page.locator('#workload[data-valid="yes"]').waitFor();
  expect(await page.inputValue('[name="orders-per-day"]')).toBe('20000');
  expect(await page.inputValue('[name="fleet"]')).toBe('3xt3.medium');
  expect(await shown()).toEqual(expected(linked));
  expect(await page.locator('#workload-answer [data-answer="fleet"]').textContent()).toMatch(
    /^3 × EC2 t3\.medium .*, always on:\$\d/,
  );
  // The chart: both curves drawn on a canvas.
  expect(await page.locator('#workload-chart canvas').count()).toBe(1);

  await page.fill('[name="orders-per-day"]', '2000000');
  await page.waitForURL((url) => url.searchParams.get('orders-per-day') === '2000000');
  expect(await shown()).toEqual(expected({ ...linked, 'orders-per-day': '2000000' }));
  // 2 million orders a day is past the break-even of 3 t3.medium: the page says the fleet wins.
  expect((await shown()).cheaper).toBe('always-on');
  expect(await page.locator('#workload-answer [data-answer="verdict"]').textContent()).toMatch(
    /^Here the always-on fleet is cheaper/,
  );
  await page
    .locator('[data-panel="workload"]')
    .screenshot({ path: path.join(DATA_DIR, 'console', 'workload-panel.png') });
});

test('bad input is refused naming the field and its range; the last answer and the URL stay', async () => {
  const before = await shown();
  const url = page.url();
  for (const [field, value, message] of [
    ['orders-per-day', 'abc', 'orders per day "abc" is not a number: give a number from 1 to 1000000000'],
    ['orders-per-day', '1e12', 'orders per day 1000000000000 is out of range: give a number from 1 to 1000000000'],
    ['busy-hours', '0', 'busy hours 0 is out of range: give a number from 1 to 24'],
    ['fleet', '2xt9.huge', 'fleet instance "t9.huge" is unknown: choose one of'],
  ] as const) {
    await page.fill(`[name="${field}"]`, value);
    await page.locator('#workload[data-valid="no"]').waitFor();
    expect(await page.locator('#workload-problems').textContent()).toContain(message);
    expect(await page.getAttribute(`[name="${field}"]`, 'aria-invalid')).toBe('true');
    expect(await shown()).toEqual(before);
    expect(page.url()).toBe(url);
    await page.fill(`[name="${field}"]`, new URL(url).searchParams.get(field) ?? '');
    await page.locator('#workload[data-valid="yes"]').waitFor();
  }
  // The link round-trips: a fresh page at the same URL shows the same answer.
  const fresh = await browser!.newPage();
  await fresh.goto(url);
  await fresh.locator('#workload[data-valid="yes"]').waitFor();
  expect(await fresh.locator('#workload-answer').getAttribute('data-serverless-usd')).toBe(before.serverlessUsd);
  await fresh.close();
  expect(pageErrors).toEqual([]);
});

/** The demo's hook into the page: the current act shows, and "Next act" advances the story only while it waits. */

import type { Browser } from 'playwright-core';
import type { RunningConsole } from '../../console/start-console';
import { startTestConsole } from '../support/test-console';
import { launchChromium } from '../support/browser';

let browser: Browser | undefined;
let running: RunningConsole | undefined;
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

test('the page shows the act and its "Next act" button calls the demo back once per waiting act', async () => {
  let nextActs = 0;
  running = await startTestConsole({
    onNextAct: () => nextActs++,
  });
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(running.url);
  await page.locator('body[data-live="yes"]').waitFor();
  running.setAct({
    number: 3,
    title: 'the local worker dies',
    description: 'SIGKILL: no goodbye.',
    waitingForNext: true,
  });
  await page.locator('#next-act').waitFor({ state: 'visible' });
  expect(await page.locator('#act-title').textContent()).toBe('Act 3: the local worker dies');
  await page.click('#next-act');
  await page.locator('#control-message.ok').waitFor();
  expect(nextActs).toBe(1);

  running.setAct({ number: 3, title: 'the local worker dies', waitingForNext: false });
  await page.locator('#next-act').waitFor({ state: 'hidden' });
  const again = await page.evaluate(async () => {
    const token = (
      globalThis as unknown as { document: { querySelector(s: string): { content: string } } }
    ).document.querySelector('meta[name="console-token"]').content;
    const r = await fetch('/api/next-act', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopflow-console-token': token },
      body: '{}',
    });
    return { status: r.status, message: ((await r.json()) as { message: string }).message };
  });
  expect(again).toEqual({ status: 409, message: 'the demo is not waiting for the next act yet' });
  expect(nextActs).toBe(1);
});

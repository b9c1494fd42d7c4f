/**
 * The order board with a fifth step: the columns come from the step list it is given (domain/steps.ts by default),
 * so a `checkFraud` step between reserve and charge gets its own column, heading and cells, in a real browser.
 */

import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { ObservedActivity } from '../../client/order-progress';
import type { OrderView } from '../../console/console-types';
import { launchChromium } from '../support/browser';

const WEB_DIR = path.join(__dirname, '../../console/web');

/** board.ts's StepColumn (not imported: the page's modules need the DOM's types, the tests' project has none). */
const FIVE_STEPS: { step: string; heading: string }[] = [
  { step: 'reserveInventory', heading: 'Reserve' },
  { step: 'checkFraud', heading: 'Fraud check' },
  { step: 'chargeCustomer', heading: 'Charge' },
  { step: 'createShipment', heading: 'Ship' },
  { step: 'notifyCustomer', heading: 'Notify' },
];

function activity(name: string, state: ObservedActivity['state']): ObservedActivity {
  return { name, state, attempt: 1 } as ObservedActivity;
}

function order(workflowId: string, startedAt: string, steps: ObservedActivity[]): OrderView {
  return {
    workflowId,
    orderId: workflowId,
    scenario: 'happy',
    state: 'RUNNING',
    startedAt,
    steps,
    compensations: [],
    eventCount: 1,
    webUiUrl: `http://127.0.0.1:8233/${workflowId}`,
  };
}

/** Two orders; the second lists its steps out of saga order, so a cell placed by position would land wrong. */
const ORDERS: OrderView[] = [
  order('order-done', '2026-12-01T10:00:00.000Z', [
    activity('reserveInventory', 'completed'),
    activity('checkFraud', 'completed'),
    activity('chargeCustomer', 'completed'),
    activity('createShipment', 'completed'),
    activity('notifyCustomer', 'running'),
  ]),
  order('order-fraud', '2026-12-01T09:00:00.000Z', [
    activity('chargeCustomer', 'pending'),
    activity('checkFraud', 'failed'),
    activity('reserveInventory', 'completed'),
    activity('notifyCustomer', 'pending'),
    activity('createShipment', 'pending'),
  ]),
];

/** The page's own orders table (index.html), and the board module bundled as the console bundles it. */
async function boardPage(page: Page): Promise<void> {
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  const section = /<section class="panel" data-panel="orders">[\s\S]*?<\/section>/.exec(html);
  if (!section) throw new Error('index.html has no orders panel');
  await page.setContent(`<!doctype html><html><body>${section[0]}</body></html>`);
  const bundled = await build({
    stdin: {
      contents: "import { renderBoard } from './board'; (globalThis as any).renderBoard = renderBoard;",
      resolveDir: WEB_DIR,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
  });
  await page.addScriptTag({ content: bundled.outputFiles[0].text });
}

let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await boardPage(page);
  await page.evaluate(
    ({ orders, columns }) => {
      const render = (globalThis as unknown as { renderBoard: (...args: unknown[]) => void }).renderBoard;
      render(new Map(orders.map((o) => [o.workflowId, o])), {}, false, () => {}, columns);
    },
    { orders: ORDERS, columns: FIVE_STEPS },
  );
});
afterAll(async () => {
  await browser?.close();
});

test('five step columns, headed in the saga order of the list given', async () => {
  const headings = page.locator('#orders thead th[data-step]');
  expect(await headings.allTextContents()).toEqual(['Reserve', 'Fraud check', 'Charge', 'Ship', 'Notify']);
  expect(await headings.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-step')))).toEqual(
    FIVE_STEPS.map((c) => c.step),
  );
  // Order, State, five steps, Compensations, and the cancel column.
  expect(await page.locator('#orders thead th').count()).toBe(9);
  expect(pageErrors).toEqual([]);
});

test("each order's cells sit under their step's heading", async () => {
  const cells = await page.locator('#orders').evaluate((table) => {
    const headings = [...table.querySelectorAll('thead th')];
    return [...table.querySelectorAll('tbody tr')].map((row) => ({
      workflowId: row.getAttribute('data-workflow-id'),
      cells: headings.flatMap((th, i) => {
        const step = th.getAttribute('data-step');
        const cell = row.children[i]?.querySelector('.step');
        return step
          ? [{ under: step, step: cell?.getAttribute('data-step'), state: cell?.getAttribute('data-state') }]
          : [];
      }),
    }));
  });
  // The newest order first, as on the page.
  expect(cells.map((row) => row.workflowId)).toEqual(['order-done', 'order-fraud']);
  for (const row of cells) {
    const fixture = ORDERS.find((o) => o.workflowId === row.workflowId)!;
    expect(row.cells).toEqual(
      FIVE_STEPS.map(({ step }) => ({ under: step, step, state: fixture.steps.find((s) => s.name === step)!.state })),
    );
    // Every row has as many cells as the heading row.
    expect(row.cells).toHaveLength(5);
  }
  expect(cells[1].cells[1]).toEqual({ under: 'checkFraud', step: 'checkFraud', state: 'failed' });
  expect(pageErrors).toEqual([]);
});

/**
 * `npm run record-histories`: runs each scenario on a private dev server and saves the histories under
 * test/replay/histories/. The replay tests replay them against the current code, so a change that would break
 * in-flight orders fails the build. Re-record only when you ship a new build id on purpose; to add a history for a
 * new scenario without touching the others, name it: `npm run record-histories -- long-haul`.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import type { Order } from '../../domain/order';
import { cancelOrderUpdate, getStatusQuery } from '../../workflows/definitions';
import { testOrder } from '../support/orders';
import { startTestWorker } from '../support/test-worker';
import { startDevServer } from '../../machinery/devstack/dev-server';
import { freePort } from '../../machinery/plumbing/ports';
import { PROJECT_ROOT } from '../../machinery/plumbing/project-paths';
import { ensureTemporalCli } from '../../machinery/devstack/temporal-cli';
import { workflowsSourcePath } from '../../worker/worker-options';

export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'replay', 'histories');

const SCENARIOS: Record<string, () => Order> = {
  happy: () => testOrder('happy'),
  decline: () => testOrder('decline'),
  'bad-address': () => testOrder('bad-address'),
  'notify-outage': () => testOrder('notify-outage'),
  'shipping-outage': () => testOrder('shipping-outage'),
  'cancelled-by-update': () => testOrder('happy', { slowStep: { step: 'chargeCustomer', durationMs: 10_000 } }),
  // Three chunk activities under the long-haul-chunks patch marker.
  'long-haul': () => ({ ...testOrder('long-haul'), longHaulMs: 10_000 }),
};

/** The histories to record: those named on the command line, else all. */
function selected(names: string[]): [string, () => Order][] {
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0)
    throw new Error(`no such history: ${unknown.join(', ')} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return Object.entries(SCENARIOS).filter(([name]) => names.length === 0 || names.includes(name));
}

async function main(): Promise<void> {
  const histories = selected(process.argv.slice(2));
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-record-'));
  const server = await startDevServer({
    cli: ensureTemporalCli(),
    port: await freePort(),
    logFile: path.join(workDir, 'server.log'),
  });
  try {
    const bundle = await bundleWorkflowCode({
      workflowsPath: workflowsSourcePath(),
      logger: new DefaultLogger('WARN'),
    });
    const bundlePath = path.join(workDir, 'bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const worker = await startTestWorker({ address: server.address, bundlePath, workDir, identity: '1000@recorder' });
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    for (const [name, makeOrder] of histories) {
      const handle = await worker.start(makeOrder(), `order-replay-${name}`);
      if (name === 'cancelled-by-update') {
        while ((await handle.query(getStatusQuery)).state !== 'CHARGING_PAYMENT')
          await new Promise((r) => setTimeout(r, 100));
        await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'recorded cancellation' }] });
      }
      await handle.result().catch(() => undefined);
      const file = path.join(HISTORIES_DIR, `${name}.json`);
      fs.writeFileSync(file, `${historyToJSON(await handle.fetchHistory())}\n`);
      console.log(`recorded ${path.relative(PROJECT_ROOT, file)}`);
    }
    await worker.stop();
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

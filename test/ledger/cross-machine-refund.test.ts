/**
 * The bug the shared ledger fixes, reproduced. The laptop charges the card, the laptop's worker goes away during
 * the shipment, the shipment fails on the Lambda and the Lambda runs the refund. With a journal file per machine
 * (as on AWS: the laptop's data/ and each Lambda environment's /tmp) the refund finds no charge and the customer
 * stays charged. With the DynamoDB ledger both machines share, the charge is refunded, once.
 */

import fs from 'node:fs';
import path from 'node:path';
import { EffectJournal, type JournalEntry } from '../../activities/journal';
import type { EffectLedger } from '../../activities/ledger/effect-ledger';
import {} from '../../config/settings';
import type { Order } from '../../domain/order';
import { isLambdaIdentity } from '../../client/describe-worker';
import { startFailoverStack, type FailoverStack } from '../support/failover-stack';
import { failureOf } from '../support/assertions';
import { freshLedgerTable, stopLedgerServer } from '../support/ledger-server';
import { testOrder } from '../support/orders';
import { testEnv } from '../support/test-env';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { startOrder } from '../../client/start-order';

jest.setTimeout(240_000);
afterAll(() => stopLedgerServer());

/** An order whose shipment takes 8 s (time for the laptop to go away) and then fails: the carrier rejects it. */
function failingShipmentOrder(): Order {
  return testOrder('happy', { slowStep: { step: 'createShipment', durationMs: 8_000 }, rejectAddress: true });
}

/** Runs the order: the laptop takes it, goes away once the shipment has started, the Lambda finishes it. */
async function runWithFailover(stack: FailoverStack): Promise<{ order: Order; failure: string }> {
  const order = failingShipmentOrder();
  const handle = await startOrder(stack.client, order, { taskQueue: stack.taskQueue });
  // Watched through describe (served by the server alone), so watching never wakes a worker.
  await waitFor(
    async () => {
      const { raw } = await handle.describe();
      return (raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'createShipment');
    },
    { timeoutMs: 60_000, what: 'the laptop to start createShipment', intervalMs: 200 },
  );
  await stack.stopLocalWorker();
  return { order, failure: (await failureOf(handle)).type ?? 'untyped' };
}

function one(entries: JournalEntry[], effect: string): JournalEntry | undefined {
  const found = entries.filter((e) => e.effect === effect);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

test("with a journal file per machine, the Lambda's refund finds no charge: the customer stays charged", async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'failover-file-'));
  const laptopJournal = path.join(dir, 'laptop.jsonl');
  const lambdaJournal = path.join(dir, 'lambda.jsonl');
  const stack = await startFailoverStack({
    dir,
    localLedger: { kind: 'file', path: laptopJournal },
    lambdaEnvironment: { SHOPFLOW_JOURNAL: lambdaJournal },
  });
  try {
    const { order, failure } = await runWithFailover(stack);
    expect(failure).toBe('InvalidAddress');
    const laptop = await new EffectJournal(laptopJournal).entriesForOrder(order.orderId);
    const cloud = await new EffectJournal(lambdaJournal).entriesForOrder(order.orderId);
    const charge = one(laptop, 'charge');
    expect(charge?.worker).toBe(stack.localIdentity);
    const refund = one(cloud, 'refund');
    expect(isLambdaIdentity(refund!.worker)).toBe(true);
    // The bug: the refund ran, but on a machine whose journal has no charge.
    expect(refund?.result).toEqual({ undone: false, detail: 'nothing to undo' });
    expect(one(laptop, 'refund')).toBeUndefined();
  } finally {
    await stack.close();
  }
});

test('with the DynamoDB ledger shared by the laptop and the Lambda, the charge is refunded once', async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'failover-dynamodb-'));
  const table = await freshLedgerTable('failover');
  // The laptop's worker runs in this process: give it the credentials a laptop's AWS profile would.
  process.env.AWS_ACCESS_KEY_ID = table.env.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = table.env.AWS_SECRET_ACCESS_KEY;
  const stack = await startFailoverStack({ dir, localLedger: table.config, lambdaEnvironment: table.functionEnv });
  const ledger: EffectLedger = table.open();
  try {
    const { order, failure } = await runWithFailover(stack);
    expect(failure).toBe('InvalidAddress');
    const entries = await ledger.entriesForOrder(order.orderId);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    const charge = one(entries, 'charge');
    expect(charge?.worker).toBe(stack.localIdentity);
    const refund = one(entries, 'refund');
    expect(isLambdaIdentity(refund!.worker)).toBe(true);
    expect(refund?.undoes).toBe(charge?.key);
    const charged = charge?.result as { amountCents: number; chargeId: string };
    expect(refund?.result).toEqual({
      undone: true,
      detail: `refunded ${charged.amountCents} cents of ${charged.chargeId}`,
    });
  } finally {
    await ledger.close();
    await stack.close();
  }
});

/**
 * A workflow cancellation sent from outside (what the Web UI's "Request Cancellation" and `temporal workflow cancel`
 * send) means what cancelOrder means: before the shipment exists the order is rolled back; once it exists the
 * cancellation is declined and the order completes, the goods shipped, nothing undone. Sent with the real CLI at
 * each step, with the effects read from the ledger.
 */

import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { JournalEntry } from '../../activities/journal';
import { waitFor } from '../../machinery/plumbing/wait-for';
import type { ForwardStep } from '../../domain/steps';
import type { OrderStatus } from '../../domain/status';
import { getStatusQuery } from '../../workflows/definitions';
import { effectsOf } from '../support/assertions';
import { testOrder } from '../support/orders';
import { temporalCli } from '../support/temporal-cli-run';
import { startTestWorker, type TestWorker } from '../support/test-worker';

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop();
});

/** Waits, from the server's description (no query), until `step` is the activity in flight. */
async function untilRunning(handle: WorkflowHandle, step: ForwardStep): Promise<void> {
  await waitFor(
    async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.activityType?.name === step) ?? false,
    { timeoutMs: 20_000, what: `${step} to be in flight` },
  );
}

/** Forward effects that stand: recorded and not undone by any entry of the order. */
function standingEffects(entries: JournalEntry[]): string[] {
  const undone = new Set(entries.map((e) => e.undoes).filter(Boolean));
  return entries.filter((e) => !e.undoes && !undone.has(e.key)).map((e) => e.effect);
}

test.each<[ForwardStep, 'CANCELLED' | 'COMPLETED', string[], string[]]>([
  ['reserveInventory', 'CANCELLED', [], ['releaseInventory']],
  ['chargeCustomer', 'CANCELLED', [], ['refundPayment', 'releaseInventory']],
  ['createShipment', 'CANCELLED', [], ['cancelShipment', 'refundPayment', 'releaseInventory']],
  ['notifyCustomer', 'COMPLETED', ['reserve', 'charge', 'ship', 'notify'], []],
])(
  '`temporal workflow cancel` during %s: the order ends %s, standing effects %j, compensations %j',
  async (step, state, standing, compensations) => {
    const slowMs = step === 'notifyCustomer' ? 4_000 : 30_000;
    const order = testOrder('happy', { slowStep: { step, durationMs: slowMs } });
    const handle = await worker.start(order);
    await untilRunning(handle, step);

    const cancel = await temporalCli('workflow', 'cancel', '--workflow-id', handle.workflowId);
    expect(cancel).toMatchObject({ code: 0 });

    const ending = await handle.result().then(
      (result) => result.status,
      (err: unknown) => err,
    );
    const status: OrderStatus = await handle.query(getStatusQuery);
    expect(status.state).toBe(state);
    expect(status.outsideCancellation?.outcome).toBe(state === 'COMPLETED' ? 'declined' : 'rolled-back');
    expect(status.compensations.map((c) => c.compensation)).toEqual(compensations);
    if (state === 'COMPLETED') {
      expect((ending as OrderStatus).completedSteps).toEqual([
        'reserveInventory',
        'chargeCustomer',
        'createShipment',
        'notifyCustomer',
      ]);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } else {
      expect(ending).toBeInstanceOf(WorkflowFailedError);
      expect((ending as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await handle.describe()).status.name).toBe('CANCELLED');
    }
    const effects = await effectsOf(worker.journal, order.orderId);
    expect(standingEffects(effects)).toEqual(standing);
    // Every effect once: no key twice, and no forward effect recorded after its undo.
    expect(new Set(effects.map((e) => e.key)).size).toBe(effects.length);
  },
);

test('the cancellation request is in the history with who sent it, for the console to show', async () => {
  const order = testOrder('happy', { slowStep: { step: 'notifyCustomer', durationMs: 3_000 } });
  const handle = await worker.start(order);
  await untilRunning(handle, 'notifyCustomer');
  await temporalCli('workflow', 'cancel', '--workflow-id', handle.workflowId, '--identity', 'ada@web-ui');
  await handle.result();
  const history = await handle.fetchHistory();
  const request = history.events?.find((e) => e.workflowExecutionCancelRequestedEventAttributes);
  expect(request?.workflowExecutionCancelRequestedEventAttributes?.identity).toBe('ada@web-ui');
});

test('a cancel that an attempt does not see before it fails (heartbeats are throttled) still ends the order Canceled', async () => {
  // The charge works 1.5 s and then fails (a transient outage): the cancel request, sent meanwhile, reaches the
  // attempt only with a heartbeat reply, which the SDK throttles to one per 4 s, so the attempt fails first and the
  // server does not retry it. Before this was handled, the order ended FAILED with ServiceUnavailable.
  const order = testOrder('happy', {
    slowStep: { step: 'chargeCustomer', durationMs: 1_500 },
    transientFailures: { chargeCustomer: 1 },
  });
  const handle = await worker.start(order);
  await untilRunning(handle, 'chargeCustomer');
  await temporalCli('workflow', 'cancel', '--workflow-id', handle.workflowId);
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  const status = await handle.query(getStatusQuery);
  expect(status.outsideCancellation?.outcome).toBe('rolled-back');
  expect(standingEffects(await effectsOf(worker.journal, order.orderId))).toEqual([]);
});

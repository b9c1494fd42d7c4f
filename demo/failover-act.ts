/**
 * Acts 2 and 3: orders run on the local worker, which is killed in the middle of the story's work; Temporal's worker
 * controller invokes the Lambda, which finishes it. The story holds at any presenter's pace: when the orders all
 * ended on the local worker before the kill (a long pause at act 3), fresh orders go in after the kill, with no
 * local worker up, so the Lambda always has work to show.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { FollowedOrder } from '../client/follow-order';
import { waitFor } from '../machinery/plumbing/wait-for';
import type { DemoArgs } from './demo-args';
import type { DemoScene } from './demo-scene';
import { killPointReached, type DemoWorker } from './demo-worker';
import type { Wave } from './order-wave';
import { lambdaWork } from './verdict';
import { LONG_HAUL_CHUNK_MS } from '../config/settings';
import { LONG_HAUL_DEFAULT_MS } from '../domain/scenarios';

export interface FailoverOutcome {
  orders: FollowedOrder[];
  killedAt: number;
  /** When the last order ended. */
  finishedAt: number;
}

export async function failoverActs(scene: DemoScene): Promise<FailoverOutcome> {
  const { args, narrator, worker } = scene;
  await narrator.beginAct(
    'orders on the local worker',
    `Submitting ${args.orders} "${args.scenario}" order(s). Each step shows the worker that ran it.`,
  );
  if (args.scenario === 'long-haul') narrator.say(LONG_HAUL_NARRATION);
  const first = await scene.wave('');
  await waitForKillPoint(worker, first, args);

  await narrator.beginAct(
    'the local worker dies',
    args.kill === 'SIGKILL'
      ? 'SIGKILL: no goodbye. Its activity stops heartbeating; within 5 s Temporal times the attempt out and retries it. No worker polls the queue, so the worker controller invokes the Lambda.'
      : 'Ctrl+C: the worker drains, cancelling what it cannot finish; Temporal retries that work, and with no poller left the worker controller invokes the Lambda.',
  );
  const killedAt = Date.now();
  const workerGone = worker.stop(args.kill); // SIGINT drains for up to 10 s: the story goes on meanwhile
  narrator.step(
    `local worker pid ${worker.pid} sent ${args.kill} at ${new Date(killedAt).toISOString().slice(11, 19)}`,
  );
  const openAtKill = first.openCount();
  const orders = await first.ended;
  await workerGone;
  narrator.step(
    `${openAtKill} of ${orders.length} order(s) were still in flight at the kill; all ended ${((Date.now() - killedAt) / 1000).toFixed(1)} s after it`,
  );
  if (lambdaWork(orders) === 0) {
    // The presenter talked longer than the orders took: they all ended on the local worker. Run the starter again,
    // as one does live: with no local worker up, every step of these orders runs on the Lambda.
    narrator.say(
      `The orders ended on the local worker before the kill, so the Lambda had nothing to finish. Submitting ${args.orders} fresh order(s) now, with no local worker running: Temporal invokes the Lambda for them.`,
    );
    const second = await scene.wave('after the kill');
    orders.push(...(await second.ended));
  }
  return { orders, killedAt, finishedAt: Date.now() };
}

/**
 * Waits until the local worker is in the middle of the story's work: the slow shipment under way (2 s in), or the
 * first step done for the other scenarios. An order that ends sooner (out of stock fails at its first step) ends the
 * wait too; a worker that never gets there is an error that says so.
 */
async function waitForKillPoint(worker: DemoWorker, wave: Wave, args: DemoArgs): Promise<void> {
  const midShipment = args.scenario === 'slow' || args.scenario === 'long-haul';
  await waitFor(() => killPointReached(worker.lines, args.scenario) || wave.openCount() === 0, {
    timeoutMs: 60_000,
    what: midShipment ? 'the local worker to start the shipment' : 'the local worker to finish reserveInventory',
    intervalMs: 100,
  });
  if (midShipment) await sleep(2_000);
}

/** What the long haul shows, said once as its orders go in. */
const LONG_HAUL_NARRATION =
  `long-haul: the shipment runs as ${LONG_HAUL_CHUNK_MS / 1000} s chunk activities (${LONG_HAUL_DEFAULT_MS / 1000} s in all here, ` +
  'any length past the 15-minute Lambda limit works the same): each chunk ends by completing, so the haul moves from ' +
  'invocation to invocation, and a crash repeats at most one heartbeat of it.';

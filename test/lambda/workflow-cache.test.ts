/**
 * The experiment behind the Lambda worker's cache-empty exit (lambda/exit-rule.ts), with the real SDK and the
 * real dev server: an open workflow stays in the worker's cache (its next task would come on the sticky queue),
 * and a completed one leaves it on its own, within a fraction of a second; so does one loaded only to answer a
 * query. So an empty cache is a sign that no sticky task can come back, and the short grace after it costs nothing
 * but that fraction. The measured delays are printed.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { getStatusQuery } from '../../workflows/definitions';
import { testOrder } from '../support/orders';
import { startTestWorker, type TestWorker } from '../support/test-worker';

/** How soon after completing the workflow must be out of the cache for the 300 ms grace to be the whole tail. */
const EVICTED_WITHIN_MS = 1_000;

let worker: TestWorker;
beforeAll(async () => {
  // Realistic latency: each step takes long enough to look at the cache while the order is open.
  worker = await startTestWorker({ latencyScale: 1 });
});
afterAll(async () => {
  await worker?.stop();
});

/** Every change of the worker's cached-workflow count, timestamped, from the SDK's own Observable. */
function recordCache(): { changes: { at: number; cached: number }[]; stop(): void } {
  const changes: { at: number; cached: number }[] = [];
  const subscription = worker.worker.numRunningWorkflowInstances$.subscribe((cached) =>
    changes.push({ at: Date.now(), cached }),
  );
  return { changes, stop: () => subscription.unsubscribe() };
}

async function untilCacheEmpty(withinMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (worker.worker.getStatus().numCachedWorkflows === 0) return Date.now();
    await sleep(10);
  }
  return undefined;
}

test('an open order stays cached; a completed one leaves the cache within a second of completing', async () => {
  const cache = recordCache();
  try {
    const handle = await worker.start(testOrder('happy'));
    // Open, between workflow tasks (a step is running): cached, so its next task would come to this worker.
    await sleep(300);
    expect((await handle.query(getStatusQuery)).state).not.toBe('COMPLETED');
    expect(worker.worker.getStatus().numCachedWorkflows).toBe(1);

    await handle.result();
    const resultSeenAt = Date.now();
    const emptyAt = await untilCacheEmpty(EVICTED_WITHIN_MS);
    const closedAt = (await handle.describe()).closeTime?.getTime();
    const evictedAt = [...cache.changes].reverse().find((c) => c.cached === 0)?.at;

    expect(emptyAt).toBeDefined();
    expect(closedAt).toBeDefined();
    expect(evictedAt).toBeDefined();
    // Measured from the server's close time (the workflow task that completed it), and from the client's view.
    const afterCloseMs = evictedAt! - closedAt!;
    const afterResultMs = evictedAt! - resultSeenAt;
    console.log(
      `workflow cache: evicted ${afterCloseMs} ms after the server closed the workflow, ` +
        `${afterResultMs} ms after the client saw its result; cache counts ${cache.changes.map((c) => c.cached).join(' -> ')}`,
    );
    expect(afterCloseMs).toBeLessThan(EVICTED_WITHIN_MS);
    expect(Math.max(...cache.changes.map((c) => c.cached))).toBe(1);
  } finally {
    cache.stop();
  }
});

test('a query on a completed order loads it into the cache only while it is answered', async () => {
  const handle = await worker.start(testOrder('happy'));
  await handle.result();
  expect(await untilCacheEmpty(EVICTED_WITHIN_MS)).toBeDefined();

  const cache = recordCache();
  try {
    const queriedAt = Date.now();
    expect((await handle.query(getStatusQuery)).state).toBe('COMPLETED');
    const emptyAt = await untilCacheEmpty(EVICTED_WITHIN_MS);
    console.log(
      `workflow cache after a query on a completed order: counts ${cache.changes.map((c) => c.cached).join(' -> ')}, ` +
        (emptyAt === undefined
          ? `still cached after ${EVICTED_WITHIN_MS} ms`
          : `empty ${emptyAt - queriedAt} ms after`),
    );
    expect(emptyAt).toBeDefined();
  } finally {
    cache.stop();
  }
});

/**
 * The bench's long-haul arithmetic: gaps between chunks from the history's times, the gap from an invocation's end,
 * the work a lost attempt did after its last heartbeat (redone by the retry), and billed GB-s against the work.
 */

import type { ChunkRecord } from '../../client/haul-history';
import { billedAgainstWork, haulFigures } from '../../machinery/bench/long-haul-figures';

const ARN = '@arn:aws:lambda:us-east-1:000000000000:function:haul';
const checkpoint = (progressMs: number) => ({ orderId: 'o', idempotencyKey: 'k', progressMs, totalMs: 12_000 });

function chunk(activityId: string, fromMs: number, identity: string, startedAtMs: number, attempt = 1): ChunkRecord {
  return {
    activityId,
    input: { orderId: 'o', idempotencyKey: 'k', totalMs: 12_000, checkpoint: checkpoint(fromMs) },
    result: checkpoint(fromMs + 4_000),
    attempt,
    identity,
    startedAtMs,
    completedAtMs: startedAtMs + 4_000,
  };
}

const invocations = [
  { requestId: 'req-a', startedAt: 0, endedAt: 9_500, memoryMb: 1024 },
  { requestId: 'req-b', startedAt: 9_000, endedAt: 15_000, memoryMb: 1024 },
  { requestId: 'req-c', startedAt: 15_500, endedAt: 22_000, memoryMb: 1024 },
];

test('gaps per handover, within an invocation and to the next one, and no repeated work on completions', () => {
  const chunks = [chunk('1', 0, `req-a${ARN}`, 1_000), chunk('2', 4_000, `req-a${ARN}`, 5_050)];
  chunks.push(chunk('3', 8_000, `req-b${ARN}`, 10_000));
  const figures = haulFigures(chunks, [], invocations);
  expect(figures.handovers).toEqual([
    { chunk: 2, kind: 'completion', newWorker: false, repeatedMs: 0, gapMs: 50, gapFromInvocationEndMs: undefined },
    { chunk: 3, kind: 'completion', newWorker: true, repeatedMs: 0, gapMs: 950, gapFromInvocationEndMs: 500 },
  ]);
  expect(figures).toMatchObject({ chunks: 3, workers: 2, haulWallMs: 13_000, maxRepeatedMs: 0, maxGapMs: 950 });
  expect(figures.medianGapNewWorkerMs).toBe(950);
});

test('a lost attempt repeats the work from its last heartbeat to its invocation end; unseen, it is not hidden', () => {
  const retried = chunk('2', 4_000, `req-c${ARN}`, 16_000, 2);
  const lost = { activityId: '2', attempt: 1, workerIdentity: `req-b${ARN}`, lastHeartbeatAtMs: 14_400 };
  const figures = haulFigures([chunk('1', 0, `req-a${ARN}`, 1_000), retried], [lost], invocations);
  expect(figures.handovers[0]).toMatchObject({ chunk: 2, kind: 'retry', newWorker: true, repeatedMs: 600 });
  expect(figures.maxRepeatedMs).toBe(600);
  const unseen = haulFigures([retried], [{ activityId: '2', attempt: 1 }], invocations);
  expect(unseen.maxRepeatedMs).toBe(Infinity);
});

test('billed GB-s against the work alone at the same memory', () => {
  expect(billedAgainstWork(invocations, 12_000, 1024)).toEqual({
    billedGBSeconds: 22.0,
    workGBSeconds: 12,
    ratio: 1.83,
  });
});

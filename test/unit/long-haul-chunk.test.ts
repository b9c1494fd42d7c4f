/** The chunk activity in an activity context: heartbeats its checkpoint, resumes from it, refuses a foreign one. */

import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { haulChunk, type ChunkLog } from '../../activities/long-haul-chunk';
import type { HaulCheckpoint, HaulChunkInput } from '../../domain/long-haul';

const haul = { orderId: 'ord-1', idempotencyKey: 'order-ord-1:createShipment', totalMs: 100 };
const at = (progressMs: number): HaulCheckpoint => ({ ...haul, progressMs });
const input = (progressMs: number): HaulChunkInput => ({ ...haul, checkpoint: at(progressMs) });
const small = { chunkMs: 40, intervalMs: 10 };

function run(chunkInput: HaulChunkInput, heartbeatDetails?: unknown) {
  const env = new MockActivityEnvironment(
    { heartbeatDetails, attempt: heartbeatDetails === undefined ? 1 : 2 },
    { logger: new DefaultLogger('ERROR') },
  );
  const beats: HaulCheckpoint[] = [];
  env.on('heartbeat', (details: HaulCheckpoint) => beats.push(details));
  const lines: string[] = [];
  const log: ChunkLog = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
  const result = env.run(() => haulChunk(env.context, chunkInput, log, small));
  return { result, beats, lines };
}

test('a chunk works one chunk on, heartbeating its checkpoint every interval, and returns the next checkpoint', async () => {
  const { result, beats, lines } = run(input(0));
  expect(await result).toEqual(at(40));
  expect(beats.map((b) => b.progressMs)).toEqual([0, 10, 20, 30, 40]);
  expect(beats.every((b) => b.orderId === 'ord-1' && b.totalMs === 100)).toBe(true);
  expect(lines).toEqual(['info haulShipmentChunk: 0 -> 40 of 100 ms']);
});

test('the last chunk stops at the end of the haul', async () => {
  expect(await run(input(80)).result).toEqual(at(100));
});

test('a retry resumes from the last heartbeat: only the rest of the chunk is worked', async () => {
  const { result, beats } = run(input(40), at(70));
  expect(await result).toEqual(at(80));
  expect(beats.map((b) => b.progressMs)).toEqual([70, 80]);
});

test('a foreign heartbeat is refused with a warning: the chunk starts over from its input', async () => {
  const { result, beats, lines } = run(input(40), { ...at(70), orderId: 'ord-2' });
  expect(await result).toEqual(at(80));
  expect(beats.map((b) => b.progressMs)).toEqual([40, 50, 60, 70, 80]);
  expect(lines[0]).toBe(
    'warn haulShipmentChunk: checkpoint heartbeat refused, starting the chunk over from 40 ms: ' +
      'the checkpoint is for order "ord-2", not "ord-1"',
  );
});

test('a corrupt input checkpoint is refused: the haul starts over from 0', async () => {
  const { result, lines } = run({ ...haul, checkpoint: { ...at(50), progressMs: -5 } });
  expect(await result).toEqual(at(40));
  expect(lines[0]).toBe(
    "warn haulShipmentChunk: checkpoint input refused, starting the haul over from 0 ms: the checkpoint's " +
      'progressMs must be a whole number of ms (got -5)',
  );
});

test('a chunk without a haul length is refused, not retried', async () => {
  const { result } = run({ ...haul, totalMs: undefined as never, checkpoint: at(0) });
  await expect(result).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(result).rejects.toMatchObject({
    nonRetryable: true,
    message: "haulShipmentChunk needs totalMs, a whole number of ms (got undefined); the workflow passes the order's",
  });
});

/** The long haul's pure core: checkpoint checks (exact messages), chunk math, and the settings it relies on. */

import { LAMBDA_WORKER_DEFAULTS } from '@temporalio/lambda-worker/lib/defaults';
import {
  ACTIVITY_HEARTBEAT_INTERVAL_MS,
  LAMBDA_MINIMUM_TIMEOUT_S,
  LAMBDA_RECOMMENDED_TIMEOUT_S,
  LAMBDA_SHUTDOWN_BUFFER_MS,
  LAMBDA_WORKER_SHUTDOWN_GRACE_MS,
  LONG_HAUL_CHUNK_MS,
  LONG_HAUL_CHUNK_START_TO_CLOSE_MS,
} from '../../config/settings';
import {
  checkCheckpoint,
  chunkCount,
  chunkEndMs,
  haulStart,
  haulTotalMs,
  isHaulDone,
  planChunk,
  type HaulChunkInput,
} from '../../domain/long-haul';
import { LONG_HAUL_DEFAULT_MS } from '../../domain/scenarios';

const haul = { orderId: 'ord-1', idempotencyKey: 'order-ord-1:createShipment', totalMs: 18_000 };
const at = (progressMs: number) => ({ ...haul, progressMs });

describe('checkCheckpoint', () => {
  test('a checkpoint of this haul is accepted, and only its own fields come back', () => {
    expect(checkCheckpoint({ ...at(4_000), extra: 'dropped' }, haul)).toEqual({ ok: true, checkpoint: at(4_000) });
    expect(checkCheckpoint(at(0), haul).ok).toBe(true);
    expect(checkCheckpoint(at(18_000), haul).ok).toBe(true);
  });

  test.each([
    ['nothing', undefined, 'the checkpoint must be an object (got nothing)'],
    ['null', null, 'the checkpoint must be an object (got null)'],
    ['a string', 'halfway', 'the checkpoint must be an object (got "halfway")'],
    ['an array', [at(1)], 'the checkpoint must be an object (got an array)'],
    ['another order', { ...at(4_000), orderId: 'ord-2' }, 'the checkpoint is for order "ord-2", not "ord-1"'],
    ['no order id', { ...at(4_000), orderId: undefined }, 'the checkpoint is for order nothing, not "ord-1"'],
    [
      'another step',
      { ...at(4_000), idempotencyKey: 'order-ord-1:chargeCustomer' },
      'the checkpoint is for step "order-ord-1:chargeCustomer", not "order-ord-1:createShipment"',
    ],
    [
      'a string total',
      { ...at(4_000), totalMs: '18000' },
      `the checkpoint's totalMs must be a whole number of ms (got "18000")`,
    ],
    ['another length', { ...at(4_000), totalMs: 9_000 }, 'the checkpoint is for a haul of 9000 ms, not 18000 ms'],
    ['negative progress', at(-1), `the checkpoint's progressMs must be a whole number of ms (got -1)`],
    ['fractional progress', at(1.5), `the checkpoint's progressMs must be a whole number of ms (got 1.5)`],
    ['NaN progress', at(NaN), `the checkpoint's progressMs must be a whole number of ms (got NaN)`],
    ['string progress', at('4000' as never), `the checkpoint's progressMs must be a whole number of ms (got "4000")`],
    ['progress past the total', at(18_001), `the checkpoint's progressMs 18001 is past its totalMs 18000`],
  ])('refuses %s: %s', (_name, value, problem) => {
    expect(checkCheckpoint(value, haul)).toEqual({ ok: false, problem });
  });

  test('a long foreign order id is shortened in the message', () => {
    const result = checkCheckpoint({ ...at(0), orderId: 'x'.repeat(500) }, haul);
    expect(result).toEqual({ ok: false, problem: `the checkpoint is for order "${'x'.repeat(40)}…", not "ord-1"` });
  });
});

describe('chunk math', () => {
  test('the default haul is 4.5 chunks: 5 chunk activities, the last one half a chunk', () => {
    expect(LONG_HAUL_DEFAULT_MS).toBe(4.5 * LONG_HAUL_CHUNK_MS);
    expect(haulTotalMs({})).toBe(LONG_HAUL_DEFAULT_MS);
    expect(haulTotalMs({ longHaulMs: 60_000 })).toBe(60_000);
    expect(chunkCount(LONG_HAUL_DEFAULT_MS, LONG_HAUL_CHUNK_MS)).toBe(5);
    expect(chunkCount(8_000, 4_000)).toBe(2);
    expect(chunkCount(8_001, 4_000)).toBe(3);
    expect(chunkCount(1, 4_000)).toBe(1);
  });

  test('a chunk ends one chunk on, never past the haul', () => {
    expect(chunkEndMs(at(0), 4_000)).toBe(4_000);
    expect(chunkEndMs(at(16_000), 4_000)).toBe(18_000);
    expect(chunkEndMs(at(18_000), 4_000)).toBe(18_000);
    expect(isHaulDone(at(17_999))).toBe(false);
    expect(isHaulDone(at(18_000))).toBe(true);
    expect(haulStart('ord-1', haul.idempotencyKey, 18_000)).toEqual(at(0));
  });
});

describe('planChunk', () => {
  const input = (progressMs: number): HaulChunkInput => ({ ...haul, checkpoint: at(progressMs) });

  test('a first attempt starts at its input and ends one chunk on', () => {
    expect(planChunk(input(8_000), undefined, 4_000)).toEqual({ from: at(8_000), endMs: 12_000, refused: [] });
  });

  test('a retry resumes from the heartbeat inside the chunk, and the chunk still ends where it did', () => {
    expect(planChunk(input(8_000), at(10_000), 4_000)).toEqual({ from: at(10_000), endMs: 12_000, refused: [] });
    expect(planChunk(input(8_000), at(12_000), 4_000)).toEqual({ from: at(12_000), endMs: 12_000, refused: [] });
  });

  test('a foreign or corrupt heartbeat is refused: the attempt starts at the chunk input', () => {
    expect(planChunk(input(8_000), { ...at(11_000), orderId: 'ord-2' }, 4_000)).toEqual({
      from: at(8_000),
      endMs: 12_000,
      refused: [
        'heartbeat refused, starting the chunk over from 8000 ms: the checkpoint is for order "ord-2", not "ord-1"',
      ],
    });
    expect(planChunk(input(8_000), { progressMs: 11_000 }, 4_000).refused).toEqual([
      'heartbeat refused, starting the chunk over from 8000 ms: the checkpoint is for order nothing, not "ord-1"',
    ]);
  });

  test('a heartbeat outside this chunk (claiming more, or less) is refused', () => {
    expect(planChunk(input(8_000), at(16_000), 4_000)).toEqual({
      from: at(8_000),
      endMs: 12_000,
      refused: [
        'heartbeat refused, starting the chunk over from 8000 ms: its progress 16000 ms is outside this chunk (8000-12000 ms)',
      ],
    });
    expect(planChunk(input(8_000), at(4_000), 4_000).from).toEqual(at(8_000));
  });

  test('a corrupt or foreign input checkpoint starts the haul over from 0, and its heartbeat is judged from there', () => {
    const foreign = { ...haul, checkpoint: { ...at(12_000), orderId: 'ord-2' } };
    expect(planChunk(foreign, undefined, 4_000)).toEqual({
      from: at(0),
      endMs: 4_000,
      refused: ['input refused, starting the haul over from 0 ms: the checkpoint is for order "ord-2", not "ord-1"'],
    });
    const corrupt = { ...haul, checkpoint: at(99_000) };
    expect(planChunk(corrupt, at(2_000), 4_000)).toEqual({
      from: at(2_000),
      endMs: 4_000,
      refused: [
        `input refused, starting the haul over from 0 ms: the checkpoint's progressMs 99000 is past its totalMs 18000`,
      ],
    });
  });
});

describe('the settings the pattern relies on', () => {
  test('a chunk finishes inside the Lambda worker’s shutdown grace, so every handover is a completion', () => {
    expect(LAMBDA_WORKER_DEFAULTS.shutdownGraceTime).toBe(`${LAMBDA_WORKER_SHUTDOWN_GRACE_MS / 1000}s`);
    // One heartbeat interval of slack for the attempt's own start and reply on a busy machine.
    expect(LONG_HAUL_CHUNK_MS + ACTIVITY_HEARTBEAT_INTERVAL_MS).toBeLessThanOrEqual(LAMBDA_WORKER_SHUTDOWN_GRACE_MS);
    expect(LAMBDA_WORKER_SHUTDOWN_GRACE_MS).toBeLessThan(LAMBDA_SHUTDOWN_BUFFER_MS);
  });

  test('a chunk attempt fits well inside the shortest function timeout ShopFlow deploys with', () => {
    expect(LONG_HAUL_CHUNK_MS).toBeLessThan(LONG_HAUL_CHUNK_START_TO_CLOSE_MS);
    expect(LONG_HAUL_CHUNK_START_TO_CLOSE_MS + LAMBDA_SHUTDOWN_BUFFER_MS).toBeLessThan(LAMBDA_MINIMUM_TIMEOUT_S * 1000);
    expect(LAMBDA_RECOMMENDED_TIMEOUT_S).toBe(67);
  });
});

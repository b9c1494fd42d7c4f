/**
 * The long-haul shipment as a loop of bounded chunk activities (the re-invocation pattern; config/settings.ts says
 * why): each chunk is a normal activity completion that hands the next checkpoint to the next chunk, wherever it
 * runs, so a step may outlast any Lambda invocation without spending its retry budget on the handovers.
 */

import type { Order } from '../domain/order';
import { checkCheckpoint, haulStart, haulTotalMs, isHaulDone } from '../domain/long-haul';
import { longHaul } from './activity-options';

/** The patch that brought the chunk loop in: histories recorded before it replay without any chunk. */
export const LONG_HAUL_PATCH = 'long-haul-chunks';

export interface HaulOutcome {
  totalMs: number;
  chunks: number;
}

export async function haulShipment(order: Order, idempotencyKey: string): Promise<HaulOutcome> {
  const totalMs = haulTotalMs(order);
  const haul = { orderId: order.orderId, idempotencyKey, totalMs };
  let checkpoint = haulStart(order.orderId, idempotencyKey, totalMs);
  let chunks = 0;
  while (!isHaulDone(checkpoint)) {
    const next = checkCheckpoint(await longHaul.haulShipmentChunk({ ...haul, checkpoint }), haul);
    // A chunk that returns junk or no progress is a bug in the activity: failing the workflow task (plain Error)
    // keeps the order waiting for a fix, instead of looping forever or compensating a healthy order.
    if (!next.ok) throw new Error(`haulShipmentChunk returned a checkpoint that is refused: ${next.problem}`);
    if (next.checkpoint.progressMs <= checkpoint.progressMs)
      throw new Error(`haulShipmentChunk made no progress (still at ${checkpoint.progressMs} of ${totalMs} ms)`);
    checkpoint = next.checkpoint;
    chunks++;
  }
  return { totalMs, chunks };
}

/**
 * The long-haul shipment as a loop of bounded chunk activities (the re-invocation pattern; config/settings.ts says
 * why): each chunk is a normal activity completion that hands the next checkpoint to the next chunk, wherever it
 * runs, so a step may outlast any Lambda invocation without spending its retry budget on the handovers.
 */

import { FORWARD_STEP_MAX_ATTEMPTS } from '../config/settings';
import type { Order } from '../domain/order';
import { checkCheckpoint, haulStart, haulTotalMs, isHaulDone } from '../domain/long-haul';
import { longHaul } from './activity-options';

/** The patch that brought the chunk loop in: histories recorded before it replay without any chunk. */
export const LONG_HAUL_PATCH = 'long-haul-chunks';

export interface HaulOutcome {
  totalMs: number;
  chunks: number;
  /** Chunks that refused their input checkpoint and started the haul over from 0. */
  restarts: number;
}

export async function haulShipment(order: Order, idempotencyKey: string): Promise<HaulOutcome> {
  const totalMs = haulTotalMs(order);
  const haul = { orderId: order.orderId, idempotencyKey, totalMs };
  let checkpoint = haulStart(order.orderId, idempotencyKey, totalMs);
  let chunks = 0;
  let restarts = 0;
  while (!isHaulDone(checkpoint)) {
    const result = await longHaul.haulShipmentChunk({ ...haul, checkpoint });
    // Only the numbers come from the result; the identity is this workflow's own, so a replay under another
    // workflow id (the replay tests) decides exactly as the original run did. The activity checks identities.
    const next = checkCheckpoint({ ...result, orderId: haul.orderId, idempotencyKey }, haul);
    // A chunk that returns junk, or keeps starting over, is a bug in the activity: failing the workflow task (a
    // plain Error) keeps the order waiting for a fix, instead of looping forever or compensating a healthy order.
    if (!next.ok) throw new Error(`haulShipmentChunk returned a checkpoint that is refused: ${next.problem}`);
    // No further than before: the chunk refused its input and started the haul over (it never claims more).
    if (next.checkpoint.progressMs <= checkpoint.progressMs && ++restarts > FORWARD_STEP_MAX_ATTEMPTS)
      throw new Error(`haulShipmentChunk started the haul over ${restarts} times (at ${checkpoint.progressMs} ms)`);
    checkpoint = next.checkpoint;
    chunks++;
  }
  return { totalMs, chunks, restarts };
}

/** The shipment step's detail in the order status: "hauled 18000 ms in 5 chunks". */
export function haulDetail(haul: HaulOutcome): string {
  const restarts = haul.restarts > 0 ? ` (${haul.restarts} started over from a refused checkpoint)` : '';
  return `hauled ${haul.totalMs} ms in ${haul.chunks} chunks${restarts}`;
}

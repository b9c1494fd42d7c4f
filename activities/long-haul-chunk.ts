/**
 * One chunk of a long-haul shipment (the re-invocation pattern; config/settings.ts says why chunks): works from
 * the chunk's start to its end, heartbeating the checkpoint every interval, and returns the checkpoint at its end.
 * A retry (the worker or Lambda died mid-chunk) resumes from the last heartbeat, so at most one interval repeats.
 */

import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS, LONG_HAUL_CHUNK_MS } from '../config/settings';
import { InvalidOrder } from '../domain/errors';
import { planChunk, type HaulCheckpoint, type HaulChunkInput } from '../domain/long-haul';

export interface ChunkLog {
  info(message: string, meta: Record<string, unknown>): void;
  warn(message: string, meta: Record<string, unknown>): void;
}

export async function haulChunk(
  context: Context,
  input: HaulChunkInput,
  log: ChunkLog,
  options: { chunkMs?: number; intervalMs?: number } = {},
): Promise<HaulCheckpoint> {
  const chunkMs = options.chunkMs ?? LONG_HAUL_CHUNK_MS;
  const intervalMs = options.intervalMs ?? ACTIVITY_HEARTBEAT_INTERVAL_MS;
  if (!Number.isSafeInteger(input?.totalMs) || input.totalMs < 0) {
    throw ApplicationFailure.nonRetryable(
      `haulShipmentChunk needs totalMs, a whole number of ms (got ${String(input?.totalMs)}); the workflow passes the order's`,
      InvalidOrder,
    );
  }
  const plan = planChunk(input, context.info.heartbeatDetails, chunkMs);
  const meta = { orderId: input.orderId, idempotencyKey: input.idempotencyKey, attempt: context.info.attempt };
  for (const reason of plan.refused) log.warn(`haulShipmentChunk: checkpoint ${reason}`, meta);
  log.info(`haulShipmentChunk: ${plan.from.progressMs} -> ${plan.endMs} of ${input.totalMs} ms`, meta);

  let progressMs = plan.from.progressMs;
  const checkpoint = (): HaulCheckpoint => ({ ...plan.from, progressMs });
  context.heartbeat(checkpoint());
  while (progressMs < plan.endMs) {
    const slice = Math.min(intervalMs, plan.endMs - progressMs);
    await context.sleep(slice);
    progressMs += slice;
    context.heartbeat(checkpoint());
  }
  return checkpoint();
}

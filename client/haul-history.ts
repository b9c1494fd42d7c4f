/**
 * Reads a long-haul order's chunk activities from its history, and the server's view of a chunk in flight (the
 * long-haul tests and the bench's long-haul section read the same records).
 */

import { epochMsOf } from './proto-time';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { HaulCheckpoint, HaulChunkInput } from '../domain/long-haul';
import { HAUL_CHUNK_ACTIVITY } from '../domain/steps';

export interface ChunkRecord {
  /** The activity id: a chunk in flight (pendingChunk) names the same. */
  activityId?: string;
  input: HaulChunkInput;
  result?: HaulCheckpoint;
  /** The attempt that completed (or the last that started). */
  attempt: number;
  /** The worker that ran that attempt (for a Lambda: `<requestId>@<functionArn>`, one per invocation). */
  identity?: string;
  startedAtMs?: number;
  completedAtMs?: number;
}

function decode<T>(payloads: Payload[] | null | undefined): T | undefined {
  const first = payloads?.[0];
  return first ? defaultPayloadConverter.fromPayload<T>(first) : undefined;
}

/** Every haulShipmentChunk activity of the order, in the order they were scheduled. */
export async function chunkActivities(handle: WorkflowHandle): Promise<ChunkRecord[]> {
  const { events } = await handle.fetchHistory();
  const chunks = new Map<string, ChunkRecord>();
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === HAUL_CHUNK_ACTIVITY) {
      chunks.set(String(event.eventId), {
        activityId: scheduled.activityId ?? undefined,
        input: decode<HaulChunkInput>(scheduled.input?.payloads)!,
        attempt: 0,
      });
    }
    const started = event.activityTaskStartedEventAttributes;
    const startedChunk = started && chunks.get(String(started.scheduledEventId));
    if (startedChunk) {
      startedChunk.attempt = started.attempt ?? 0;
      startedChunk.identity = started.identity ?? undefined;
      startedChunk.startedAtMs = epochMsOf(event.eventTime);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const completedChunk = completed && chunks.get(String(completed.scheduledEventId));
    if (completedChunk) {
      completedChunk.result = decode<HaulCheckpoint>(completed.result?.payloads);
      completedChunk.completedAtMs = epochMsOf(event.eventTime);
    }
  }
  return [...chunks.values()];
}

export interface PendingChunk {
  activityId?: string;
  attempt: number;
  /** The last heartbeat details that reached the server: what a retry resumes from. */
  heartbeat?: HaulCheckpoint;
  lastStartedAtMs?: number;
  /** When that heartbeat reached the server. */
  lastHeartbeatAtMs?: number;
  /** The worker running (or that last ran) the attempt. */
  lastWorkerIdentity?: string;
}

/** The chunk in flight as the server sees it, if one is. */
export async function pendingChunk(handle: WorkflowHandle): Promise<PendingChunk | undefined> {
  const { raw } = await handle.describe();
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === HAUL_CHUNK_ACTIVITY);
  if (!pending) return undefined;
  return {
    activityId: pending.activityId ?? undefined,
    attempt: pending.attempt ?? 0,
    heartbeat: decode<HaulCheckpoint>(pending.heartbeatDetails?.payloads),
    lastStartedAtMs: epochMsOf(pending.lastStartedTime),
    lastHeartbeatAtMs: epochMsOf(pending.lastHeartbeatTime),
    lastWorkerIdentity: pending.lastWorkerIdentity ?? undefined,
  };
}

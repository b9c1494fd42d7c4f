/**
 * The long haul: a shipment step that takes longer than one Lambda invocation may live, done as bounded chunks.
 * Pure (the workflow loops over it, the chunk activity resumes with it): checkpoints, their checks and chunk math.
 * The chunk length is config/settings.ts's LONG_HAUL_CHUNK_MS, passed in by the callers.
 */

import { LONG_HAUL_DEFAULT_MS } from './scenarios';

/** How far one order's haul has got. It is the chunk activity's input, result and heartbeat details alike. */
export interface HaulCheckpoint {
  orderId: string;
  /** The createShipment step's idempotency key: the haul it belongs to. */
  idempotencyKey: string;
  progressMs: number;
  totalMs: number;
}

export interface HaulChunkInput {
  orderId: string;
  idempotencyKey: string;
  /** The haul's length, from the order: a refused checkpoint cannot change it. */
  totalMs: number;
  /** Where this chunk starts: the previous chunk's result, or the start of the haul. */
  checkpoint: HaulCheckpoint;
}

/** The haul an order asks for: its own `longHaulMs`, or the default. */
export function haulTotalMs(order: { longHaulMs?: number }): number {
  return order.longHaulMs ?? LONG_HAUL_DEFAULT_MS;
}

export function haulStart(orderId: string, idempotencyKey: string, totalMs: number): HaulCheckpoint {
  return { orderId, idempotencyKey, progressMs: 0, totalMs };
}

/** How many chunk activities a haul of `totalMs` takes when no chunk is cut short. */
export function chunkCount(totalMs: number, chunkMs: number): number {
  return Math.ceil(totalMs / chunkMs);
}

/** Where the chunk that starts at `from` ends: one chunk further, never past the end of the haul. */
export function chunkEndMs(from: HaulCheckpoint, chunkMs: number): number {
  return Math.min(from.progressMs + chunkMs, from.totalMs);
}

export function isHaulDone(checkpoint: HaulCheckpoint): boolean {
  return checkpoint.progressMs >= checkpoint.totalMs;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWholeMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

export type CheckpointCheck = { ok: true; checkpoint: HaulCheckpoint } | { ok: false; problem: string };

/**
 * Whether `value` is a checkpoint of this haul (this order, this step, this length). A checkpoint travels through
 * the server (chunk results, heartbeat details), so anything else (another order's, a corrupt or hand-edited one)
 * is refused with what is wrong: resuming from it could claim more progress than was ever done.
 */
export function checkCheckpoint(
  value: unknown,
  haul: { orderId: string; idempotencyKey: string; totalMs: number },
): CheckpointCheck {
  const refuse = (problem: string): CheckpointCheck => ({ ok: false, problem });
  if (!isRecord(value)) return refuse(`the checkpoint must be an object (got ${shown(value)})`);
  if (value.orderId !== haul.orderId)
    return refuse(`the checkpoint is for order ${shown(value.orderId)}, not ${shown(haul.orderId)}`);
  if (value.idempotencyKey !== haul.idempotencyKey)
    return refuse(`the checkpoint is for step ${shown(value.idempotencyKey)}, not ${shown(haul.idempotencyKey)}`);
  if (!isWholeMs(value.totalMs))
    return refuse(`the checkpoint's totalMs must be a whole number of ms (got ${shown(value.totalMs)})`);
  if (value.totalMs !== haul.totalMs)
    return refuse(`the checkpoint is for a haul of ${value.totalMs} ms, not ${haul.totalMs} ms`);
  if (!isWholeMs(value.progressMs))
    return refuse(`the checkpoint's progressMs must be a whole number of ms (got ${shown(value.progressMs)})`);
  if (value.progressMs > value.totalMs)
    return refuse(`the checkpoint's progressMs ${value.progressMs} is past its totalMs ${value.totalMs}`);
  const { orderId, idempotencyKey, progressMs, totalMs } = value;
  return { ok: true, checkpoint: { orderId, idempotencyKey, progressMs, totalMs } as HaulCheckpoint };
}

export interface ChunkPlan {
  /** Where this chunk's attempt starts. */
  from: HaulCheckpoint;
  /** Where the chunk ends (its start plus one chunk): a retry resumes inside the chunk, it never extends it. */
  endMs: number;
  /** Why a checkpoint was refused, for the log; empty when none was. */
  refused: string[];
}

/**
 * Where a chunk attempt starts. The chunk's own input comes first: refused, the haul starts over from 0. Then, on
 * a retry, the last attempt's heartbeat: used only when it is this haul's and lies inside this chunk, so at most
 * one heartbeat interval of work is done twice; refused, the attempt starts from the chunk's input.
 */
export function planChunk(input: HaulChunkInput, heartbeat: unknown, chunkMs: number): ChunkPlan {
  const { orderId, idempotencyKey, totalMs } = input;
  const haul = { orderId, idempotencyKey, totalMs };
  const refused: string[] = [];
  const given = checkCheckpoint(input.checkpoint, haul);
  let start: HaulCheckpoint;
  if (given.ok) {
    start = given.checkpoint;
  } else {
    refused.push(`input refused, starting the haul over from 0 ms: ${given.problem}`);
    start = haulStart(orderId, idempotencyKey, totalMs);
  }
  const endMs = chunkEndMs(start, chunkMs);
  if (heartbeat === undefined) return { from: start, endMs, refused };
  const beat = checkCheckpoint(heartbeat, haul);
  if (!beat.ok) {
    refused.push(`heartbeat refused, starting the chunk over from ${start.progressMs} ms: ${beat.problem}`);
  } else if (beat.checkpoint.progressMs < start.progressMs || beat.checkpoint.progressMs > endMs) {
    refused.push(
      `heartbeat refused, starting the chunk over from ${start.progressMs} ms: its progress ` +
        `${beat.checkpoint.progressMs} ms is outside this chunk (${start.progressMs}-${endMs} ms)`,
    );
  } else {
    return { from: beat.checkpoint, endMs, refused };
  }
  return { from: start, endMs, refused };
}

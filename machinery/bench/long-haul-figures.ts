/**
 * The long-haul section's figures, from what the server and the local Lambda service recorded: the chunks' history
 * events, the attempts seen dying mid-chunk, and the invocations. Pure, so the arithmetic is unit-tested.
 */

import type { ChunkRecord } from '../../client/haul-history';
import { billedGBSeconds } from '../lambda-local/metrics';
import { median, round } from './stats';

/** An invocation as the local Lambda service recorded it. */
export interface InvocationSpan {
  requestId: string;
  startedAt: number;
  endedAt: number;
  memoryMb: number;
}

/** An attempt of a chunk that did not complete (its invocation ended mid-chunk), as a poll of the server saw it. */
export interface LostAttempt {
  /** The chunk's activity id. */
  activityId: string;
  attempt: number;
  workerIdentity?: string;
  /** The last heartbeat of that attempt that reached the server: what the retry resumes from. */
  lastHeartbeatAtMs?: number;
}

export interface Handover {
  /** The chunk that starts after the handover (1-based, as the progress board counts). */
  chunk: number;
  /** A completion (the next chunk is a new activity) or a retry of the same chunk after a lost attempt. */
  kind: 'completion' | 'retry';
  /** Whether the work moved to another worker (for the Lambda: another invocation). */
  newWorker: boolean;
  /** Work done before the handover and done again after it (ms). */
  repeatedMs: number;
  /** From the previous chunk's ActivityTaskCompleted to this chunk's ActivityTaskStarted (ms). */
  gapMs: number;
  /** For a new invocation: from the end of the invocation that ran the previous work to this chunk's start (ms). */
  gapFromInvocationEndMs?: number;
}

export interface HaulFigures {
  chunks: number;
  /** Distinct workers that ran chunks: for the Lambda, one per invocation. */
  workers: number;
  /** From the first chunk's start to the last chunk's completion, from the history's event times (ms). */
  haulWallMs: number;
  handovers: Handover[];
  maxRepeatedMs: number;
  medianGapMs: number;
  maxGapMs: number;
  /** Over the handovers to a new worker only: where the work changes invocation. */
  medianGapNewWorkerMs?: number;
  maxGapNewWorkerMs?: number;
  medianGapFromInvocationEndMs?: number;
  maxGapFromInvocationEndMs?: number;
}

function requestIdOf(identity: string | undefined): string | undefined {
  return identity?.split('@')[0];
}

function maxOf(values: number[]): number | undefined {
  return values.length > 0 ? Math.max(...values) : undefined;
}

function medianOf(values: number[]): number | undefined {
  return values.length > 0 ? round(median(values), 0) : undefined;
}

/**
 * A lost attempt's repeated work: it kept working from its last heartbeat until its invocation ended, and the
 * retry starts again from that heartbeat. Without a known end, the attempt's work since the heartbeat is unknown:
 * counted as the whole chunk would be dishonest both ways, so it is Infinity (a missed target, in plain sight).
 */
function lostWorkMs(lost: LostAttempt, invocations: readonly InvocationSpan[]): number {
  const ran = invocations.find((i) => i.requestId === requestIdOf(lost.workerIdentity));
  if (!ran || lost.lastHeartbeatAtMs === undefined) return Infinity;
  return Math.max(0, ran.endedAt - lost.lastHeartbeatAtMs);
}

export function haulFigures(
  chunks: readonly ChunkRecord[],
  lostAttempts: readonly LostAttempt[],
  invocations: readonly InvocationSpan[] = [],
): HaulFigures {
  const handovers: Handover[] = [];
  for (let n = 0; n < chunks.length; n++) {
    const chunk = chunks[n];
    const lost = lostAttempts.filter((l) => l.activityId === chunk.activityId);
    for (const attempt of lost) {
      handovers.push({
        chunk: n + 1,
        kind: 'retry',
        newWorker: attempt.workerIdentity !== chunk.identity,
        repeatedMs: lostWorkMs(attempt, invocations),
        gapMs: NaN, // The lost attempt has no completion to measure from; its repeated work is the figure.
      });
    }
    const previous = chunks[n - 1];
    if (!previous) continue;
    const newWorker = previous.identity !== chunk.identity;
    const previousInvocation = invocations.find((i) => i.requestId === requestIdOf(previous.identity));
    handovers.push({
      chunk: n + 1,
      kind: 'completion',
      newWorker,
      repeatedMs: Math.max(0, (previous.result?.progressMs ?? 0) - chunk.input.checkpoint.progressMs),
      gapMs: chunk.startedAtMs! - previous.completedAtMs!,
      gapFromInvocationEndMs:
        newWorker && previousInvocation ? chunk.startedAtMs! - previousInvocation.endedAt : undefined,
    });
  }
  const completions = handovers.filter((h) => h.kind === 'completion');
  const toNewWorker = completions.filter((h) => h.newWorker);
  const fromEnd = toNewWorker.flatMap((h) =>
    h.gapFromInvocationEndMs === undefined ? [] : [h.gapFromInvocationEndMs],
  );
  return {
    chunks: chunks.length,
    workers: new Set(chunks.map((c) => c.identity)).size,
    haulWallMs: chunks.length > 0 ? chunks.at(-1)!.completedAtMs! - chunks[0].startedAtMs! : 0,
    handovers,
    maxRepeatedMs: maxOf(handovers.map((h) => h.repeatedMs)) ?? 0,
    medianGapMs: medianOf(completions.map((h) => h.gapMs)) ?? 0,
    maxGapMs: maxOf(completions.map((h) => h.gapMs)) ?? 0,
    medianGapNewWorkerMs: medianOf(toNewWorker.map((h) => h.gapMs)),
    maxGapNewWorkerMs: maxOf(toNewWorker.map((h) => h.gapMs)),
    medianGapFromInvocationEndMs: medianOf(fromEnd),
    maxGapFromInvocationEndMs: maxOf(fromEnd),
  };
}

/** Billed GB-s of the invocations, and what the work alone would cost at the same memory (its length x GB). */
export function billedAgainstWork(
  invocations: readonly InvocationSpan[],
  workMs: number,
  memoryMb: number,
): { billedGBSeconds: number; workGBSeconds: number; ratio: number } {
  const billed = invocations.reduce((sum, i) => sum + billedGBSeconds(i), 0);
  const work = (workMs / 1000) * (memoryMb / 1024);
  return { billedGBSeconds: round(billed, 2), workGBSeconds: round(work, 2), ratio: round(billed / work, 2) };
}

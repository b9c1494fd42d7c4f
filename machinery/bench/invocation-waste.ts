/**
 * Useful and wasted Lambda invocations, from what the local Lambda service recorded of each one: the handler's
 * response is its InvocationSummary, which says how many tasks (activities, workflow activations) it ran. An
 * invocation that ran none was billed for nothing; one with no summary failed (timeout, crash) or is not ours.
 */

import { billedGBSeconds, type InvocationSample } from '../lambda-local/metrics';
import type { InvocationSummary } from '../../lambda/lifecycle';
import { median, round } from './stats';

export type InvocationUse = 'useful' | 'wasted' | 'no summary';

export interface WasteFigures {
  invocations: number;
  useful: number;
  wasted: number;
  /** Failed invocations, or a function whose handler returns no summary (the official lifecycle's). */
  noSummary: number;
  billedGBSeconds: number;
  wastedGBSeconds: number;
  /** wastedGBSeconds / billedGBSeconds; the target is <= 0.1. */
  wastedShare: number;
  /** From the worker's start to its first task, in the useful invocations (median and max, ms). */
  firstTaskAfterMsMedian?: number;
  firstTaskAfterMsMax?: number;
  /**
   * Where a wasted invocation's time goes (medians, ms): its whole duration, and the part not spent polling (the
   * cold start's module load, billed as Lambda bills it, connecting, creating and shutting down the worker).
   */
  wastedDurationMsMedian?: number;
  wastedNotPollingMsMedian?: number;
}

export { billedGBSeconds };

function summaryOf(sample: InvocationSample): InvocationSummary | undefined {
  if (sample.error || !sample.response) return undefined;
  try {
    const parsed = JSON.parse(sample.response) as Partial<InvocationSummary> | null;
    return parsed && typeof parsed.activitiesStarted === 'number' ? (parsed as InvocationSummary) : undefined;
  } catch {
    return undefined; // cut at KEPT_RESPONSE_CHARS, or not a ShopFlow handler: no summary to read
  }
}

export function invocationUse(sample: InvocationSample): InvocationUse {
  const summary = summaryOf(sample);
  if (!summary) return 'no summary';
  return summary.activitiesStarted + (summary.workflowActivations ?? 0) > 0 ? 'useful' : 'wasted';
}

export function wasteOf(samples: readonly InvocationSample[]): WasteFigures {
  const sum = (list: readonly InvocationSample[]) => list.reduce((total, s) => total + billedGBSeconds(s), 0);
  const uses = samples.map((s) => invocationUse(s));
  const wasted = samples.filter((_, i) => uses[i] === 'wasted');
  const billed = sum(samples);
  const firstTask = samples
    .map((s) => summaryOf(s)?.firstTaskAfterMs)
    .filter((ms): ms is number => typeof ms === 'number');
  const durationOf = (s: InvocationSample) => s.endedAt - s.startedAt;
  const wastedDurations = wasted.map(durationOf);
  // Everything but the polling: the cold start's module load, connecting, creating the worker, shutting it down.
  const notPolling = wasted.flatMap((s) => {
    const pollingMs = summaryOf(s)?.pollingMs;
    return typeof pollingMs === 'number' ? [durationOf(s) - pollingMs] : [];
  });
  return {
    invocations: samples.length,
    useful: uses.filter((u) => u === 'useful').length,
    wasted: wasted.length,
    noSummary: uses.filter((u) => u === 'no summary').length,
    billedGBSeconds: round(billed, 2),
    wastedGBSeconds: round(sum(wasted), 2),
    wastedShare: billed > 0 ? round(sum(wasted) / billed, 3) : 0,
    firstTaskAfterMsMedian: firstTask.length > 0 ? round(median(firstTask), 0) : undefined,
    firstTaskAfterMsMax: firstTask.length > 0 ? Math.max(...firstTask) : undefined,
    wastedDurationMsMedian: wastedDurations.length > 0 ? round(median(wastedDurations), 0) : undefined,
    wastedNotPollingMsMedian: notPolling.length > 0 ? round(median(notPolling), 0) : undefined,
  };
}

/** One line for the bench's progress output. */
export function describeWaste(w: WasteFigures): string {
  const first =
    w.firstTaskAfterMsMax === undefined
      ? ''
      : `; first task ${w.firstTaskAfterMsMedian} ms after start (max ${w.firstTaskAfterMsMax})`;
  const split =
    w.wastedDurationMsMedian === undefined
      ? ''
      : `; a wasted one: ${w.wastedDurationMsMedian} ms, ${w.wastedNotPollingMsMedian ?? '?'} ms of it not polling`;
  return (
    `${w.invocations} invocation(s): ${w.useful} useful, ${w.wasted} ran no task, ${w.noSummary} without summary; ` +
    `${w.billedGBSeconds} GB-s billed, ${w.wastedGBSeconds} wasted ` +
    `(${Math.round(w.wastedShare * 100)}%)${first}${split}`
  );
}

/**
 * One cold start, Invoke -> first activity done, cut into its parts from what each side already reports: the
 * bench's Invoke time, the first invocation's summary (lambda/lifecycle.ts, with the entry's load marks,
 * machinery/lambda-entry/load-marks.ts) and the order's history. All on one machine's clock, so the parts add up to the whole.
 */

import type { InvocationSummary } from '../../lambda/lifecycle';
import type { LoadMarks } from '../lambda-entry/load-marks';
import { median, round } from './stats';

export const COLD_START_PARTS = [
  ['processAndRuntimeInit', 'process start + runtime init (Invoke -> handler module starts loading)'],
  ['handlerLoad', 'handler load (module load, compile cache included)'],
  ['runtimeHandOff', 'runtime hand-off (handler loaded -> handler called)'],
  ['connect', 'connect'],
  ['workerCreate', 'worker create'],
  ['firstPoll', 'first poll (worker polling -> first task)'],
  ['firstTask', 'first task (first task -> first activity done)'],
] as const;

/** The first task's own parts, from the order's history (the server's times); they add up to `firstTask`. */
export const FIRST_TASK_PARTS = [
  ['workflowTask', '  of which: the workflow task (first task -> workflow task completed)'],
  ['activityDispatch', '  of which: activity dispatch (-> activity task started)'],
  ['activityRun', '  of which: the activity (-> activity completed)'],
] as const;

/** When the order's first workflow task completed and its first activity started and completed (epoch ms). */
export interface FirstTaskMoments {
  workflowTaskCompletedAt: number;
  activityStartedAt: number;
  activityCompletedAt: number;
}

export type ColdStartPart = (typeof COLD_START_PARTS)[number][0];
export type ColdStartBreakdown = Record<ColdStartPart | (typeof FIRST_TASK_PARTS)[number][0], number> & {
  totalMs: number;
  /** The local service's Init Duration (spawn -> the runtime's first request for an event), beside parts 1-2. */
  initDurationMs?: number;
};

/** The parts of one cold start; undefined (with why) when the summary lacks what they need. */
export function coldStartBreakdown(
  invokedAt: number,
  moments: FirstTaskMoments,
  response: string | undefined,
  initDurationMs?: number,
): ColdStartBreakdown | string {
  let summary: Partial<InvocationSummary> & { load?: LoadMarks };
  try {
    summary = JSON.parse(response ?? '') as typeof summary;
  } catch {
    return `the cold invocation returned no summary (${response === undefined ? 'it failed' : 'not JSON'})`;
  }
  const { load, startedAt, startupMs, workerCreateMs, firstTaskAt } = summary;
  if (!load || startedAt === undefined || startupMs === undefined || workerCreateMs === undefined || !firstTaskAt)
    return 'the cold invocation summary lacks its load marks or start times (a package built before them?)';
  const pollingAt = startedAt + startupMs;
  const firstActivityDoneAt = moments.activityCompletedAt;
  return {
    processAndRuntimeInit: load.loadStartedAt - invokedAt,
    handlerLoad: load.loadedAt - load.loadStartedAt,
    runtimeHandOff: startedAt - load.loadedAt,
    connect: startupMs - workerCreateMs,
    workerCreate: workerCreateMs,
    firstPoll: firstTaskAt - pollingAt,
    firstTask: firstActivityDoneAt - firstTaskAt,
    workflowTask: moments.workflowTaskCompletedAt - firstTaskAt,
    activityDispatch: moments.activityStartedAt - moments.workflowTaskCompletedAt,
    activityRun: firstActivityDoneAt - moments.activityStartedAt,
    totalMs: firstActivityDoneAt - invokedAt,
    initDurationMs,
  };
}

/** Each part's median over the cold starts, and its share of the sum of those medians. */
export function medianBreakdown(
  runs: ColdStartBreakdown[],
): { part: keyof ColdStartBreakdown; label: string; ms: number; share: number }[] {
  const of = (parts: readonly (readonly [keyof ColdStartBreakdown, string])[]) =>
    parts.map(([part, label]) => ({ part, label, ms: median(runs.map((r) => r[part] ?? NaN)) }));
  const medians = of(COLD_START_PARTS);
  const sum = medians.reduce((total, m) => total + m.ms, 0);
  const firstTaskAt = medians.findIndex((m) => m.part === 'firstTask') + 1;
  medians.splice(firstTaskAt, 0, ...of(FIRST_TASK_PARTS));
  return medians.map((m) => ({ ...m, ms: round(m.ms, 0), share: round(m.ms / sum, 3) }));
}

/** The breakdown as printed under the cold-start section's rows. */
export function renderBreakdown(
  runs: ColdStartBreakdown[],
  targetMs: number,
  table: (headers: string[], rows: string[][]) => string,
): string {
  const rows = medianBreakdown(runs).map((m) => [m.label, String(m.ms), `${Math.round(m.share * 100)}%`]);
  const total = round(median(runs.map((r) => r.totalMs)), 0);
  const init = runs.map((r) => r.initDurationMs).filter((ms): ms is number => ms !== undefined);
  const initNote = init.length > 0 ? `; the service's Init Duration ${round(median(init), 0)} ms` : '';
  return [
    `Cold start, as deployed, by part (medians of ${runs.length}; whole: ${total} ms, target <= ${targetMs} ms: ` +
      `${total <= targetMs ? 'met' : 'MISSED'}${initNote}):`,
    table(['part', 'ms', 'share'], rows),
  ].join('\n');
}

/**
 * Which lane each bar and span of the timeline goes in: one for each local worker (its pid) and one for each Lambda
 * execution environment (cloud mode: each invocation, the only thing histories name), in the order they appeared.
 * Pure, shared by the page and the terminal's text timeline.
 */

import { COMPENSATION_FOR, FORWARD_STEPS, HAUL_CHUNK_ACTIVITY, HAUL_CHUNK_STEP } from '../../domain/steps';
import type { TimelineInvocation, TimelineView } from './timeline-types';

export interface Lane {
  key: string;
  kind: 'local' | 'lambda';
  label: string;
  firstAt: number;
}

/** The letter of each step (the initial of its verb's object: Reserve, Charge, Ship, Notify). */
const STEP_LETTERS = ['R', 'C', 'S', 'N'] as const;

/** One letter per activity: the step's; its compensation the same in lower case. */
export const ACTIVITY_LETTERS: Readonly<Record<string, string>> = Object.fromEntries(
  FORWARD_STEPS.flatMap((step, i) => {
    const compensation = COMPENSATION_FOR[step];
    return [[step, STEP_LETTERS[i]], ...(compensation ? [[compensation, STEP_LETTERS[i].toLowerCase()]] : [])];
  }),
);

/** The step an activity is drawn as: a long haul's chunk is the shipment, one bar broken across invocations. */
export function drawnAs(activity: string): string {
  return activity === HAUL_CHUNK_ACTIVITY ? HAUL_CHUNK_STEP : activity;
}

export function letterOf(activity: string): string {
  return ACTIVITY_LETTERS[drawnAs(activity)] ?? '?';
}

export type LaneOf = (worker: string | undefined) => string | undefined;

/** The lane of an invocation: its execution environment's, or (cloud mode, no environment known) its own. */
export function invocationLane(invocation: Pick<TimelineInvocation, 'environmentId' | 'requestId'>): string {
  return invocation.environmentId ? `env:${invocation.environmentId}` : `req:${invocation.requestId}`;
}

/** The lane key of a worker identity, given which environment ran each request. */
export function laneResolver(view: TimelineView): LaneOf {
  const envOfRequest = new Map(view.invocations.map((i) => [i.requestId, i.environmentId]));
  return (worker) => {
    if (!worker) return undefined;
    const at = worker.indexOf('@');
    const who = at >= 0 ? worker.slice(0, at) : worker;
    if (worker.includes('@arn:aws:lambda:')) {
      return invocationLane({ requestId: who, environmentId: envOfRequest.get(who) });
    }
    return `local:${who}`;
  };
}

export function lanesOf(view: TimelineView): Lane[] {
  const laneOf = laneResolver(view);
  const lanes = new Map<string, Lane>();
  const add = (key: string | undefined, at: number) => {
    if (!key) return;
    const known = lanes.get(key);
    if (known) {
      known.firstAt = Math.min(known.firstAt, at);
      return;
    }
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const label =
      kind === 'local'
        ? /^\d+$/.test(id)
          ? `local pid ${id}`
          : `local ${id}`
        : kind === 'env'
          ? `Lambda ${id}`
          : `Lambda req ${id.slice(0, 8)}`;
    lanes.set(key, { key, kind: kind === 'local' ? 'local' : 'lambda', label, firstAt: at });
  };
  for (const i of view.invocations) add(invocationLane(i), i.startedAt);
  for (const a of view.attempts) add(laneOf(a.worker), a.startedAt);
  for (const t of view.workflowTasks) add(laneOf(t.worker), t.startedAt);
  return [...lanes.values()].sort(
    (a, b) => (a.kind === b.kind ? 0 : a.kind === 'local' ? -1 : 1) || a.firstAt - b.firstAt,
  );
}

/** The axis's start: the first thing drawn (or `now` when there is nothing yet). */
export function axisStart(view: TimelineView): number {
  const starts = [
    ...view.attempts.map((a) => a.startedAt),
    ...view.invocations.map((i) => i.startedAt),
    ...view.marks.map((m) => m.at),
  ];
  return starts.length ? Math.min(...starts) : view.now;
}

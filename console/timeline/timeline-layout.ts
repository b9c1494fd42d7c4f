/**
 * Where everything of the timeline goes on a panel of a given size: lanes (folded past a few Lambda environments),
 * attempt bars (merged per lane and step when there are too many to tell apart), invocation spans with their cold
 * start and idle tail, marks and axis ticks. Pure numbers, so the page only draws and a unit test can check it.
 */

import { FORWARD_STEPS } from '../../domain/steps';
import { axisStart, drawnAs, invocationLane, laneResolver, lanesOf, type Lane } from './timeline-lanes';
import type { TimelineAttempt, TimelineInvocation, TimelineMark, TimelineView } from './timeline-types';

/** More Lambda environments than this and the rest share one folded lane. */
export const MAX_LAMBDA_LANES = 6;
/** More attempt bars than this and each lane draws, per step, the union of its attempts instead. */
export const MAX_SEPARATE_BARS = 160;
export const FOLDED_LANE = 'folded';
/** Merged bars: attempts closer than this many pixels on the axis join one bar. */
const MERGE_GAP_PX = 4;

export interface LaneBox extends Lane {
  y: number;
  height: number;
}

export interface AttemptBar {
  lane: string;
  x: number;
  width: number;
  y: number;
  height: number;
  activity: string;
  kind: TimelineAttempt['kind'];
  /** One attempt; absent on a merged bar. */
  attempt?: TimelineAttempt;
  /** A merged bar: how many attempts it stands for. */
  count: number;
  ended: 'running' | 'ok' | 'failed';
}

export interface InvocationSpan {
  lane: string;
  x: number;
  width: number;
  initWidth: number;
  /** The idle tail: from the last task's end to the invocation's end (billed, no work). */
  idleX?: number;
  invocation: TimelineInvocation;
}

export interface MarkLine {
  x: number;
  mark: TimelineMark;
}

export interface Tick {
  x: number;
  at: number;
}

export interface TimelineLayout {
  start: number;
  end: number;
  lanes: LaneBox[];
  bars: AttemptBar[];
  spans: InvocationSpan[];
  marks: MarkLine[];
  ticks: Tick[];
  merged: boolean;
}

export interface LayoutBox {
  /** The drawing area for bars, right of the lane labels. */
  x: number;
  width: number;
  laneHeight: number;
  now: number;
}

/** One row per forward step, in saga order; compensations (and anything unknown) share the last. */
const STEP_ROWS: readonly string[] = FORWARD_STEPS;
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

function stepRow(activity: string, kind: TimelineAttempt['kind']): number {
  const row = STEP_ROWS.indexOf(drawnAs(activity));
  return kind === 'compensation' || row < 0 ? STEP_ROWS.length - 1 : row;
}

/** Unions of [from, to] spans that overlap or lie closer than `gap` (what the eye cannot tell apart anyway). */
function union(spans: [number, number][], gap: number): [number, number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + gap) {
      last[1] = Math.max(last[1], to);
      last[2]++;
    } else out.push([from, to, 1]);
  }
  return out;
}

export function layoutTimeline(view: TimelineView, box: LayoutBox): TimelineLayout {
  const start = axisStart({ ...view, now: box.now });
  const end = Math.max(box.now, start + 10_000);
  const scale = box.width / (end - start);
  const xOf = (t: number) => box.x + Math.max(0, Math.min(box.width, (t - start) * scale));

  const all = lanesOf(view);
  const lambdaLanes = all.filter((l) => l.kind === 'lambda');
  const folded = lambdaLanes.length > MAX_LAMBDA_LANES ? lambdaLanes.slice(MAX_LAMBDA_LANES - 1) : [];
  const foldedKeys = new Set(folded.map((l) => l.key));
  const shown: Lane[] = all.filter((l) => !foldedKeys.has(l.key));
  if (folded.length)
    shown.push({
      key: FOLDED_LANE,
      kind: 'lambda',
      label: `${folded.length} more Lambda environments`,
      firstAt: folded[0].firstAt,
    });
  const laneKey = (key: string | undefined) => (key && foldedKeys.has(key) ? FOLDED_LANE : key);
  const lanes: LaneBox[] = shown.map((l, i) => ({ ...l, y: i * box.laneHeight, height: box.laneHeight }));
  const laneY = new Map(lanes.map((l) => [l.key, l.y]));

  const rowHeight = (box.laneHeight * 0.8) / STEP_ROWS.length;
  const laneOf = laneResolver(view);
  const placed = view.attempts
    .map((a) => ({ a, lane: laneKey(laneOf(a.worker)) }))
    .filter((p): p is { a: TimelineAttempt; lane: string } => Boolean(p.lane && laneY.has(p.lane)));
  const merged = placed.length > MAX_SEPARATE_BARS;
  const barGeometry = (lane: string, activity: string, kind: TimelineAttempt['kind'], from: number, to: number) => {
    const x = xOf(from);
    return {
      lane,
      x,
      width: Math.max(2, xOf(to) - x),
      y: laneY.get(lane)! + box.laneHeight * 0.1 + stepRow(activity, kind) * rowHeight,
      height: rowHeight * 0.9,
      activity,
      kind,
    };
  };
  let bars: AttemptBar[];
  if (!merged) {
    bars = placed.map(({ a, lane }) => ({
      ...barGeometry(lane, a.activity, a.kind, a.startedAt, a.endedAt ?? box.now),
      attempt: a,
      count: 1,
      ended: a.outcome === 'running' ? 'running' : a.outcome === 'completed' ? 'ok' : 'failed',
    }));
  } else {
    const groups = new Map<string, { lane: string; a: TimelineAttempt; spans: [number, number][] }>();
    for (const { a, lane } of placed) {
      // Per step as drawn: a haul's chunks and its createShipment merge into the one shipment bar.
      const key = `${lane}|${a.kind}|${drawnAs(a.activity)}`;
      const group = groups.get(key) ?? { lane, a, spans: [] };
      group.spans.push([a.startedAt, a.endedAt ?? box.now]);
      groups.set(key, group);
    }
    // Failed and timed-out attempts still end visibly: each gets its own bar over the merged ones.
    const failures = placed.filter(({ a }) => a.outcome === 'failed' || a.outcome === 'timed out');
    bars = [
      ...[...groups.values()].flatMap(({ lane, a, spans }) =>
        union(spans, MERGE_GAP_PX / scale).map(([from, to, count]) => ({
          ...barGeometry(lane, a.activity, a.kind, from, to),
          count,
          ended: 'ok' as const,
        })),
      ),
      ...failures.map(({ a, lane }) => ({
        ...barGeometry(lane, a.activity, a.kind, a.startedAt, a.endedAt ?? box.now),
        attempt: a,
        count: 1,
        ended: 'failed' as const,
      })),
    ];
  }

  const spans: InvocationSpan[] = view.invocations
    .map((invocation) => ({ invocation, lane: laneKey(invocationLane(invocation))! }))
    .filter(({ lane }) => laneY.has(lane))
    .map(({ invocation, lane }) => {
      const x = xOf(invocation.startedAt);
      const to = invocation.endedAt ?? box.now;
      const idleFrom =
        invocation.endedAt !== undefined
          ? (invocation.lastTaskEndedAt ?? invocation.startedAt + (invocation.initMs ?? 0))
          : undefined;
      return {
        lane,
        x,
        width: Math.max(2, xOf(to) - x),
        initWidth: invocation.initMs ? Math.max(1, xOf(invocation.startedAt + invocation.initMs) - x) : 0,
        ...(idleFrom !== undefined && idleFrom < to && { idleX: xOf(idleFrom) }),
        invocation,
      };
    });

  const secondsPerTick =
    TICK_STEPS_S.find((s) => ((end - start) / 1000 / s) * 90 <= box.width) ?? TICK_STEPS_S[TICK_STEPS_S.length - 1];
  const first = Math.ceil(start / (secondsPerTick * 1000)) * secondsPerTick * 1000;
  const ticks: Tick[] = [];
  for (let at = first; at <= end; at += secondsPerTick * 1000) ticks.push({ x: xOf(at), at });

  return {
    start,
    end,
    lanes,
    bars,
    spans,
    marks: view.marks.map((mark) => ({ x: xOf(mark.at), mark })),
    ticks,
    merged,
  };
}

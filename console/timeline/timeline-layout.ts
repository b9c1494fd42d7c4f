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

/** Time to x: the axis runs from the first thing shown to now (at least ten seconds), clamped to the box. */
interface Axis {
  start: number;
  end: number;
  /** Pixels per millisecond. */
  scale: number;
  xOf: (t: number) => number;
}

function axisOf(view: TimelineView, box: LayoutBox): Axis {
  const start = axisStart({ ...view, now: box.now });
  const end = Math.max(box.now, start + 10_000);
  const scale = box.width / (end - start);
  return { start, end, scale, xOf: (t: number) => box.x + Math.max(0, Math.min(box.width, (t - start) * scale)) };
}

/** The lanes drawn, each a box; Lambda environments past MAX_LAMBDA_LANES share one folded lane. */
interface Lanes {
  lanes: LaneBox[];
  laneY: Map<string, number>;
  /** The lane a key is drawn in (the folded one for a folded environment). */
  laneKey: (key: string | undefined) => string | undefined;
}

function foldLanes(view: TimelineView, box: LayoutBox): Lanes {
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
  const lanes: LaneBox[] = shown.map((l, i) => ({ ...l, y: i * box.laneHeight, height: box.laneHeight }));
  return {
    lanes,
    laneY: new Map(lanes.map((l) => [l.key, l.y])),
    laneKey: (key) => (key && foldedKeys.has(key) ? FOLDED_LANE : key),
  };
}

type PlacedAttempt = { a: TimelineAttempt; lane: string };
type BarGeometry = Omit<AttemptBar, 'attempt' | 'count' | 'ended'>;
type BarOf = (lane: string, activity: string, kind: TimelineAttempt['kind'], from: number, to: number) => BarGeometry;

/** A bar's box: its lane, its step's row in the lane, from..to on the axis (at least 2 px wide). */
function barShaper(box: LayoutBox, { xOf }: Axis, laneY: Map<string, number>): BarOf {
  const rowHeight = (box.laneHeight * 0.8) / STEP_ROWS.length;
  return (lane, activity, kind, from, to) => {
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
}

/** Few enough attempts: one bar each, ending as the attempt did. */
function separateBars(placed: PlacedAttempt[], barOf: BarOf, now: number): AttemptBar[] {
  return placed.map(({ a, lane }) => ({
    ...barOf(lane, a.activity, a.kind, a.startedAt, a.endedAt ?? now),
    attempt: a,
    count: 1,
    ended: a.outcome === 'running' ? 'running' : a.outcome === 'completed' ? 'ok' : 'failed',
  }));
}

/** Too many attempts to draw apart: per lane and step, the unions of their spans, and each failure on top. */
function mergedBars(placed: PlacedAttempt[], barOf: BarOf, scale: number, now: number): AttemptBar[] {
  const groups = new Map<string, { lane: string; a: TimelineAttempt; spans: [number, number][] }>();
  for (const { a, lane } of placed) {
    // Per step as drawn: a haul's chunks and its createShipment merge into the one shipment bar.
    const key = `${lane}|${a.kind}|${drawnAs(a.activity)}`;
    const group = groups.get(key) ?? { lane, a, spans: [] };
    group.spans.push([a.startedAt, a.endedAt ?? now]);
    groups.set(key, group);
  }
  // Failed and timed-out attempts still end visibly: each gets its own bar over the merged ones.
  const failures = placed.filter(({ a }) => a.outcome === 'failed' || a.outcome === 'timed out');
  return [
    ...[...groups.values()].flatMap(({ lane, a, spans }) =>
      union(spans, MERGE_GAP_PX / scale).map(([from, to, count]) => ({
        ...barOf(lane, a.activity, a.kind, from, to),
        count,
        ended: 'ok' as const,
      })),
    ),
    ...failures.map(({ a, lane }) => ({
      ...barOf(lane, a.activity, a.kind, a.startedAt, a.endedAt ?? now),
      attempt: a,
      count: 1,
      ended: 'failed' as const,
    })),
  ];
}

/** Each invocation in its environment's lane: INIT hatched at its start, the idle tail after its last task. */
function invocationSpans(view: TimelineView, { xOf }: Axis, { laneKey, laneY }: Lanes, now: number): InvocationSpan[] {
  return view.invocations
    .map((invocation) => ({ invocation, lane: laneKey(invocationLane(invocation))! }))
    .filter(({ lane }) => laneY.has(lane))
    .map(({ invocation, lane }) => {
      const x = xOf(invocation.startedAt);
      const to = invocation.endedAt ?? now;
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
}

/** Round-second ticks, about 90 px apart at least. */
function ticksOf({ start, end, xOf }: Axis, width: number): Tick[] {
  const secondsPerTick =
    TICK_STEPS_S.find((s) => ((end - start) / 1000 / s) * 90 <= width) ?? TICK_STEPS_S[TICK_STEPS_S.length - 1];
  const first = Math.ceil(start / (secondsPerTick * 1000)) * secondsPerTick * 1000;
  const ticks: Tick[] = [];
  for (let at = first; at <= end; at += secondsPerTick * 1000) ticks.push({ x: xOf(at), at });
  return ticks;
}

export function layoutTimeline(view: TimelineView, box: LayoutBox): TimelineLayout {
  const axis = axisOf(view, box);
  const lanes = foldLanes(view, box);
  const laneOf = laneResolver(view);
  const placed = view.attempts
    .map((a) => ({ a, lane: lanes.laneKey(laneOf(a.worker)) }))
    .filter((p): p is PlacedAttempt => Boolean(p.lane && lanes.laneY.has(p.lane)));
  const merged = placed.length > MAX_SEPARATE_BARS;
  const barOf = barShaper(box, axis, lanes.laneY);
  return {
    start: axis.start,
    end: axis.end,
    lanes: lanes.lanes,
    bars: merged ? mergedBars(placed, barOf, axis.scale, box.now) : separateBars(placed, barOf, box.now),
    spans: invocationSpans(view, axis, lanes, box.now),
    marks: view.marks.map((mark) => ({ x: axis.xOf(mark.at), mark })),
    ticks: ticksOf(axis, box.width),
    merged,
  };
}

/**
 * The timeline as text for the terminal: one line per lane, each activity as its letter across the time it ran
 * (R reserve, C charge, S ship, N notify; compensations in lower case; x where an attempt failed or timed out),
 * `#` a Lambda's cold start, `.` an invocation waiting (idle, billed), and a line of marks (K the kill, 0 back to
 * zero invocations). Pure.
 */

import { axisStart, invocationLane, laneResolver, lanesOf, letterOf } from './timeline-lanes';
import type { TimelineView } from './timeline-types';

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function formatTextTimeline(view: TimelineView, width = 60): string[] {
  const lanes = lanesOf(view);
  if (lanes.length === 0) return ['Timeline: nothing ran.'];
  const start = axisStart(view);
  const end = Math.max(view.now, start + 1);
  const cell = (end - start) / width;
  const col = (t: number) => Math.min(width - 1, Math.max(0, Math.floor((t - start) / cell)));
  const laneOf = laneResolver(view);
  const rows = new Map(lanes.map((l) => [l.key, Array.from({ length: width }, () => ' ')]));
  const paint = (key: string | undefined, from: number, to: number, ch: string, over = true) => {
    const row = key ? rows.get(key) : undefined;
    if (!row) return;
    for (let c = col(from); c <= col(to); c++) if (over || row[c] === ' ') row[c] = ch;
  };
  for (const inv of view.invocations) {
    const key = invocationLane(inv);
    paint(key, inv.startedAt, inv.endedAt ?? view.now, '.');
    if (inv.initMs) paint(key, inv.startedAt, inv.startedAt + inv.initMs, '#');
  }
  for (const a of view.attempts) {
    const key = laneOf(a.worker);
    const to = a.endedAt ?? view.now;
    paint(key, a.startedAt, to, letterOf(a.activity));
    if (a.outcome === 'failed' || a.outcome === 'timed out') paint(key, to, to, 'x');
  }
  const labelWidth = Math.max(...lanes.map((l) => l.label.length), 5);
  const marks = Array.from({ length: width }, () => ' ');
  for (const m of view.marks) marks[col(m.at)] = m.kind === 'kill' ? 'K' : m.kind === 'back to zero' ? '0' : '*';
  const lines = [
    `Timeline ${clock(start)} to ${clock(end)} (one column = ${(cell / 1000).toFixed(1)} s):`,
    ...lanes.map((l) => `  ${l.label.padEnd(labelWidth)} |${rows.get(l.key)!.join('')}|`),
    `  ${'marks'.padEnd(labelWidth)} |${marks.join('')}|`,
    '  R reserve  C charge  S ship  N notify  (lower case: its compensation)  x failed or timed out',
    `  # cold start  . invocation idle (billed)  K ${view.marks.find((m) => m.kind === 'kill')?.label ?? 'the kill'}  * first cold start  0 back to zero invocations`,
  ];
  return lines;
}

/**
 * The timeline panel: one time axis for the whole run. A lane per local worker and per Lambda execution
 * environment; each activity attempt a bar in its worker's lane, coloured by step; each invocation an outlined span
 * with its cold start hatched and its idle tail shaded; marks for the kill, the first cold start and the return to
 * zero. Under it, the wake-up ledger: what woke each invocation and what it did. Hover or click shows an entry.
 */

import {
  layoutTimeline,
  type AttemptBar,
  type InvocationSpan,
  type LaneBox,
  type TimelineLayout,
} from '../timeline/timeline-layout';
import { lanesOf, letterOf } from '../timeline/timeline-lanes';
import type { LedgerEntry, TimelineMark, TimelineView } from '../timeline/timeline-types';
import { byId, el } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
let current: TimelineView | undefined;
let queued = false;
let selected: string | undefined;
/** The slowest redraw so far (ms), for the browser test's frame-time figures. */
let slowestRenderMs = 0;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

function clockOf(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function workerWords(worker: string | undefined): string {
  if (!worker) return 'an unknown worker';
  const [who, where] = [worker.slice(0, worker.indexOf('@')), worker.slice(worker.indexOf('@') + 1)];
  return where.startsWith('arn:aws:lambda:') ? `Lambda req ${who.slice(0, 8)}` : `local pid ${who}`;
}

function barText(bar: AttemptBar): string {
  const a = bar.attempt;
  if (!a) return `${bar.count} attempts of ${bar.activity} (merged: too many to draw one by one)`;
  const took = seconds((a.endedAt ?? Date.now()) - a.startedAt);
  const resumed = a.resumedFromMs !== undefined ? `, resumed from the checkpoint at ${seconds(a.resumedFromMs)}` : '';
  const failure = a.failure ? ` (${a.failure})` : '';
  return `order ${a.orderId}: ${a.activity} attempt ${a.attempt} on ${workerWords(a.worker)}, ${a.outcome}${failure} after ${took}${resumed}`;
}

function ledgerText(entry: LedgerEntry, startedAt: number): string {
  const billed =
    entry.billedMs !== undefined ? ` · ${seconds(entry.billedMs)} billed · ${entry.gbSeconds!.toFixed(3)} GB-s` : '';
  const where = entry.environmentId ? ` · ${entry.environmentId}` : '';
  return `${clockOf(startedAt)} req ${entry.requestId.slice(0, 8)}${where}: ${entry.text}${billed}`;
}

function spanText(span: InvocationSpan): string {
  const i = span.invocation;
  const init = i.initMs ? `, cold start ${seconds(i.initMs)}` : ', warm start';
  return `${ledgerText(i.ledger, i.startedAt)}${init}`;
}

function show(text: string, requestId?: string): void {
  const detail = byId('timeline-detail');
  detail.textContent = text;
  detail.title = text;
  if (requestId === undefined) return;
  for (const item of byId('ledger').querySelectorAll<HTMLElement>('li'))
    item.classList.toggle('selected', item.dataset.requestId === requestId);
  byId('ledger')
    .querySelector<HTMLElement>(`li[data-request-id="${CSS.escape(requestId)}"]`)
    ?.scrollIntoView({ block: 'nearest' });
}

function interactive(node: SVGElement, text: string, requestId?: string): SVGElement {
  node.append(svg('title', {}, text));
  node.addEventListener('mouseenter', () => show(text, requestId));
  node.addEventListener('click', () => {
    selected = requestId;
    show(text, requestId);
  });
  return node;
}

function drawBars(layout: TimelineLayout, fontPx: number): SVGElement[] {
  return layout.bars.flatMap((bar) => {
    const a = bar.attempt;
    const rect = svg('rect', {
      class: `bar bar-${letterOf(bar.activity)} ${bar.kind}${bar.ended === 'failed' ? ' failed' : ''}${bar.ended === 'running' ? ' running' : ''}`,
      x: bar.x,
      y: bar.y,
      width: bar.width,
      height: bar.height,
      'data-activity': bar.activity,
      'data-lane': bar.lane,
      'data-count': bar.count,
      ...(a && {
        'data-order': a.orderId,
        'data-workflow-id': a.workflowId,
        'data-attempt': a.attempt,
        'data-outcome': a.outcome,
        'data-started-at': a.startedAt,
        'data-ended-at': a.endedAt,
        'data-resumed-from-ms': a.resumedFromMs,
        'data-progress-ms': a.progressMs,
      }),
    });
    const nodes: SVGElement[] = [interactive(rect, barText(bar))];
    if (bar.ended === 'failed')
      nodes.push(
        svg('line', {
          class: 'fail-end',
          x1: bar.x + bar.width,
          x2: bar.x + bar.width,
          y1: bar.y - 2,
          y2: bar.y + bar.height + 2,
        }),
      );
    const label = a ? `${letterOf(bar.activity)} ${a.orderId}` : `${letterOf(bar.activity)} ×${bar.count}`;
    if (bar.width > label.length * fontPx * 0.6 + 6 && bar.height >= fontPx * 0.9)
      nodes.push(svg('text', { class: 'bar-label', x: bar.x + 3, y: bar.y + bar.height - 3 }, label));
    return nodes;
  });
}

function drawSpans(layout: TimelineLayout): SVGElement[] {
  const laneOf = new Map(layout.lanes.map((l) => [l.key, l]));
  return layout.spans.flatMap((span) => {
    const lane = laneOf.get(span.lane)!;
    const { y, height } = { y: lane.y + 1, height: lane.height - 2 };
    const id = span.invocation.requestId;
    const group = svg('g', {
      class: 'invocation',
      'data-request-id': id,
      'data-cause': span.invocation.ledger.cause,
      'data-lane': span.lane,
    });
    if (span.idleX !== undefined)
      group.append(svg('rect', { class: 'idle', x: span.idleX, y, width: span.x + span.width - span.idleX, height }));
    if (span.initWidth)
      group.append(svg('rect', { class: 'init', fill: 'url(#hatch)', x: span.x, y, width: span.initWidth, height }));
    group.append(svg('rect', { class: 'span', x: span.x, y, width: span.width, height }));
    return [interactive(group, spanText(span), id)];
  });
}

/** The lane's name in its label column: two lines (what, which) when the lane is tall enough, else one, cut. */
function laneLabel(lane: LaneBox, fontPx: number, width: number): SVGElement {
  const space = lane.label.indexOf(' ');
  const [what, which] = [lane.label.slice(0, space), lane.label.slice(space + 1)];
  const fits = (text: string) => text.length * fontPx * 0.6 <= width - 6;
  const text = svg('text', {
    class: 'lane-label',
    x: 4,
    y: lane.y + lane.height / 2 - (lane.height >= fontPx * 2.5 ? fontPx * 0.2 : -fontPx * 0.35),
  });
  if (lane.height >= fontPx * 2.5) {
    text.append(
      svg('tspan', { x: 4 }, what),
      svg(
        'tspan',
        { x: 4, dy: fontPx * 1.1 },
        fits(which) ? which : `${which.slice(0, Math.floor((width - 6) / (fontPx * 0.6)) - 1)}…`,
      ),
    );
  } else
    text.append(
      fits(lane.label) ? lane.label : `${lane.label.slice(0, Math.floor((width - 6) / (fontPx * 0.6)) - 1)}…`,
    );
  text.append(svg('title', {}, lane.label));
  return text;
}

/** Which mark's name wins a place when two would overlap: the kill first, then the return to zero. */
const MARK_PRIORITY: TimelineMark['kind'][] = ['kill', 'back to zero', 'first cold start'];
const MARK_NAMES: Record<TimelineMark['kind'], (mark: TimelineMark) => string> = {
  kill: (mark) => `kill: ${mark.label}`,
  'back to zero': () => '0 invocations',
  'first cold start': () => 'first cold start',
};

/** The marks' names above the lanes, each at its line; one that would overlap a more important one is left to its tooltip. */
function markLabels(layout: TimelineLayout, fontPx: number, width: number): SVGElement[] {
  const placed: [number, number][] = [];
  const ordered = [...layout.marks].sort(
    (a, b) => MARK_PRIORITY.indexOf(a.mark.kind) - MARK_PRIORITY.indexOf(b.mark.kind),
  );
  return ordered.flatMap(({ x, mark }) => {
    const text = MARK_NAMES[mark.kind](mark);
    const w = text.length * fontPx * 0.6;
    const left = Math.min(Math.max(0, x - w / 2), width - w);
    if (placed.some(([from, to]) => left < to + fontPx && left + w > from - fontPx)) return [];
    placed.push([left, left + w]);
    return [
      svg(
        'text',
        { class: `mark-label mark-${mark.kind.replace(/ /g, '-')}`, x: left, y: fontPx, 'data-mark-label': mark.kind },
        text,
      ),
    ];
  });
}

/** The ticks whose clock label fits between the lane labels and the right edge. */
function visibleTicks(layout: TimelineLayout, fontPx: number, left: number, width: number): TimelineLayout['ticks'] {
  const half = (8 * fontPx * 0.6) / 2 + 2;
  return layout.ticks.filter((tick) => tick.x - half >= left && tick.x + half <= width);
}

function render(): void {
  queued = false;
  const view = current;
  const chart = byId('timeline-chart');
  if (!view || chart.clientWidth === 0) return;
  const began = performance.now();
  const fontPx = parseFloat(getComputedStyle(chart).fontSize) || 16;
  const labelWidth = Math.min(chart.clientWidth * 0.3, fontPx * 10);
  const axisHeight = fontPx * 1.6;
  const width = chart.clientWidth;
  const laneCount = Math.max(1, lanesOf(view).length);
  // As tall as the panel allows (two-line labels from 2.5 em), never under 1.5 em (one line) nor over 4 em.
  const markRow = fontPx * 1.3;
  const laneHeight = Math.max(
    fontPx * 1.5,
    Math.min(fontPx * 4, (chart.clientHeight - axisHeight - markRow - 2) / Math.min(laneCount, 8)),
  );
  const layout = layoutTimeline(view, { x: labelWidth, width: width - labelWidth - 4, laneHeight, now: Date.now() });
  const lanesHeight = layout.lanes.length * laneHeight;
  const height = markRow + lanesHeight + axisHeight;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'timeline' });
  const lanes = svg('g', { transform: `translate(0 ${markRow})` });
  lanes.append(
    ...layout.lanes.map((lane, i) =>
      svg(
        'g',
        { class: `lane ${lane.kind}`, 'data-lane': lane.key, 'data-lane-kind': lane.kind },
        svg('rect', { class: i % 2 ? 'lane-bg odd' : 'lane-bg', x: 0, y: lane.y, width, height: lane.height }),
        laneLabel(lane, fontPx, labelWidth),
      ),
    ),
    ...drawSpans(layout),
    ...drawBars(layout, fontPx),
    ...visibleTicks(layout, fontPx, labelWidth, width).map((tick) =>
      svg(
        'g',
        { class: 'tick' },
        svg('line', { x1: tick.x, x2: tick.x, y1: lanesHeight, y2: lanesHeight + 4 }),
        svg(
          'text',
          { x: tick.x, y: lanesHeight + axisHeight - fontPx * 0.45, 'text-anchor': 'middle' },
          clockOf(tick.at),
        ),
      ),
    ),
    ...layout.marks.map(({ x, mark }) =>
      interactive(
        svg(
          'g',
          { class: `mark mark-${mark.kind.replace(/ /g, '-')}`, 'data-mark': mark.kind, 'data-at': mark.at },
          svg('line', { x1: x, x2: x, y1: -fontPx * 0.2, y2: lanesHeight }),
        ),
        `${clockOf(mark.at)} ${mark.label}`,
      ),
    ),
  );
  root.append(
    svg(
      'defs',
      {},
      svg(
        'pattern',
        { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }),
      ),
    ),
    ...markLabels(layout, fontPx, width),
    lanes,
  );
  chart.replaceChildren(root);
  chart.dataset.merged = String(layout.merged);
  chart.dataset.lanes = String(layout.lanes.length);
  renderLedger(view);
  if (view.limits) byId('timeline-limits').textContent = view.limits;
  byId('timeline-limits').hidden = !view.limits;
  const took = performance.now() - began;
  slowestRenderMs = Math.max(slowestRenderMs, took);
  chart.dataset.renderMs = took.toFixed(1);
  chart.dataset.slowestRenderMs = slowestRenderMs.toFixed(1);
}

function renderLedger(view: TimelineView): void {
  const list = byId('ledger');
  const items = [...view.invocations].reverse().map((i) =>
    el(
      'li',
      {
        'data-request-id': i.requestId,
        'data-cause': i.ledger.cause,
        class: i.requestId === selected ? 'selected' : undefined,
      },
      ledgerText(i.ledger, i.startedAt),
    ),
  );
  list.replaceChildren(...items);
  byId('ledger-empty').hidden = items.length > 0;
}

function schedule(): void {
  if (queued) return;
  queued = true;
  requestAnimationFrame(render);
}

export function renderTimeline(view: TimelineView): void {
  current = view;
  schedule();
}

export function setUpTimeline(): void {
  // Running bars and spans grow with the clock; a resize or a layout change redraws at the new size.
  setInterval(() => {
    if (
      current &&
      (current.attempts.some((a) => a.outcome === 'running') ||
        current.invocations.some((i) => i.endedAt === undefined))
    )
      schedule();
  }, 1_000);
  new ResizeObserver(() => schedule()).observe(byId('timeline-chart'));
}

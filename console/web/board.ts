/** The order board: one row per order, its steps (state, attempt, worker), compensations, the reason it failed. */

import type { CancellationRequest, ObservedActivity } from '../../client/order-progress';
import { failureWords } from '../../client/failure-words';
import { previousAttemptLine } from './attempt-history';
import type { OrderView } from '../console-types';
import { FORWARD_STEPS, STEP_HEADINGS } from '../../domain/steps';
import { byId, clock, el } from './dom';
import { workerLabel } from './worker-label';

/** Waiting for a worker, the attempt has none yet: the identity the server still holds is the last attempt's. */
const HAS_A_WORKER: readonly ObservedActivity['state'][] = ['running', 'completed', 'failed', 'cancelled'];

function activityCell(activity: ObservedActivity, envs: Record<string, string>): HTMLElement {
  const attempt = activity.attempt > 1 ? ` · attempt ${activity.attempt}` : '';
  const waiting = activity.state === 'scheduled' || activity.state === 'retrying';
  return el(
    'div',
    {
      class: `step ${activity.state}`,
      'data-step': activity.name,
      'data-state': activity.state,
      'data-attempt': String(activity.attempt),
    },
    el('span', { class: 'state' }, activity.state),
    attempt,
    waiting && el('span', { class: 'muted' }, ' · waiting for a worker'),
    ' ',
    HAS_A_WORKER.includes(activity.state) && workerLabel(activity.worker, envs),
    activity.detail && el('div', { class: 'muted' }, activity.detail),
    // Only a failed activity's own failure is an error; an earlier attempt's is history.
    activity.state === 'failed' &&
      activity.failure &&
      el('div', { class: 'reason', 'data-current-failure': '' }, failureWords(activity.failure)),
    activity.previousAttempt && previousAttemptLine(activity.previousAttempt, envs),
  );
}

/** A cancel sent from outside (Web UI, Temporal CLI), read from the history's WorkflowExecutionCancelRequested. */
function cancellationLine(request: CancellationRequest): HTMLElement {
  const by = request.identity ? ` by ${request.identity}` : '';
  const why = request.reason ? `: ${request.reason}` : '';
  return el(
    'div',
    { class: 'history', 'data-cancel-requested-by': request.identity ?? '' },
    `cancellation requested${by} at ${clock(request.at)}${why}`,
  );
}

/** A step column: which step's cells it holds, and its heading. */
export interface StepColumn {
  step: string;
  heading: string;
}

/** The saga's steps, in the order they run (domain/steps.ts). */
export const STEP_COLUMNS: readonly StepColumn[] = FORWARD_STEPS.map((step) => ({
  step,
  heading: STEP_HEADINGS[step],
}));

/** Each order's row as last drawn, and what it was drawn from: a burst of 200 orders redraws only rows that changed. */
const drawn = new Map<string, { signature: string; row: HTMLTableRowElement }>();

export function renderBoard(
  orders: Map<string, OrderView>,
  envs: Record<string, string>,
  controls: boolean,
  onCancel: (workflowId: string) => void,
  columns: readonly StepColumn[] = STEP_COLUMNS,
): void {
  const rows = [...orders.values()].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  showStepHeadings(columns);
  const tbody = byId('orders').querySelector('tbody')!;
  byId('orders-empty').hidden = rows.length > 0;
  const envsSignature = JSON.stringify(envs);
  const rowOf = (order: OrderView) => {
    const signature = `${JSON.stringify(order)}|${envsSignature}|${controls}`;
    const known = drawn.get(order.workflowId);
    if (known?.signature === signature) return known.row;
    const row = orderRow(order, envs, controls, onCancel, columns);
    drawn.set(order.workflowId, { signature, row });
    return row;
  };
  const shown = rows.map(rowOf);
  for (const id of drawn.keys()) if (!orders.has(id)) drawn.delete(id);
  // Only when the rows or their order changed: moving unchanged rows would lay the table out again for nothing.
  const current = [...tbody.children];
  if (current.length !== shown.length || shown.some((row, i) => current[i] !== row)) tbody.replaceChildren(...shown);
}

/** The step columns' headings, from the step list (once): a new step gets its column without touching the page. */
function showStepHeadings(columns: readonly StepColumn[]): void {
  const compensations = byId('compensations-heading');
  if (compensations.parentElement?.querySelector('[data-step]')) return;
  for (const { step, heading } of columns) compensations.before(el('th', { 'data-step': step }, heading));
}

/** Each column's cell holds the order's activity of that step, found by name: a cell is never under another heading. */
function stepCells(order: OrderView, envs: Record<string, string>, columns: readonly StepColumn[]): HTMLElement[] {
  return columns.map(({ step }) => {
    const activity = order.steps.find((observed) => observed.name === step);
    return el('td', {}, activity && activityCell(activity, envs));
  });
}

function orderRow(
  order: OrderView,
  envs: Record<string, string>,
  controls: boolean,
  onCancel: (workflowId: string) => void,
  columns: readonly StepColumn[],
): HTMLTableRowElement {
  const open = order.state === 'RUNNING' || order.state === 'COMPENSATING';
  return el(
    'tr',
    { 'data-workflow-id': order.workflowId, 'data-state': order.state, 'data-scenario': order.scenario },
    el(
      'td',
      {},
      el(
        'a',
        { href: order.webUiUrl, target: '_blank', rel: 'noopener', title: 'open in the Temporal Web UI' },
        order.orderId ?? order.workflowId,
      ),
      el('div', { class: 'muted' }, `${order.scenario ?? ''} · ${clock(order.startedAt)}`),
    ),
    el(
      'td',
      {},
      el('span', { class: `state-${order.state}`, 'data-order-state': order.state }, order.state),
      order.cancelRequested && el('div', { class: 'muted' }, `cancel: ${order.cancelRequested.reason}`),
      order.cancellationRequest && cancellationLine(order.cancellationRequest),
      order.failure &&
        el(
          'div',
          { class: 'reason', 'data-failure': order.failure.type ?? '' },
          `${order.failure.type ?? ''}: ${order.failure.message}`,
        ),
    ),
    ...stepCells(order, envs, columns),
    el('td', {}, ...order.compensations.map((c) => el('div', {}, el('b', {}, c.name), ' ', activityCell(c, envs)))),
    el('td', {}, controls && open && cancelButton(order.workflowId, onCancel)),
  );
}

function cancelButton(workflowId: string, onCancel: (workflowId: string) => void): HTMLElement {
  const button = el('button', { type: 'button', class: 'cancel', 'data-cancel': workflowId }, 'Cancel');
  button.addEventListener('click', () => onCancel(workflowId));
  return button;
}

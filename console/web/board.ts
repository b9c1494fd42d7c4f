/** The order board: one row per order, its four steps (state, attempt, worker), compensations, the reason it failed. */

import type { ObservedActivity } from '../../client/order-progress';
import type { OrderView } from '../console-types';
import { byId, clock, el } from './dom';
import { workerLabel } from './worker-label';

function activityCell(activity: ObservedActivity, envs: Record<string, string>): HTMLElement {
  const attempt = activity.attempt > 1 ? ` · attempt ${activity.attempt}` : '';
  return el(
    'div',
    { class: `step ${activity.state}`, 'data-step': activity.name, 'data-state': activity.state },
    el('span', { class: 'state' }, activity.state),
    attempt,
    ' ',
    // While it waits for the next attempt, the worker shown is the one that had the last attempt.
    (activity.state === 'retrying' || activity.state === 'scheduled') && activity.worker ? 'last: ' : '',
    workerLabel(activity.worker, envs),
    activity.detail && el('div', { class: 'muted' }, activity.detail),
    activity.failure &&
      activity.state !== 'completed' &&
      el('div', { class: 'reason' }, `${activity.failure.type ?? ''} ${activity.failure.message}`.trim()),
  );
}

export function renderBoard(
  orders: Map<string, OrderView>,
  envs: Record<string, string>,
  controls: boolean,
  onCancel: (workflowId: string) => void,
): void {
  const rows = [...orders.values()].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const tbody = byId('orders').querySelector('tbody')!;
  byId('orders-empty').hidden = rows.length > 0;
  tbody.replaceChildren(
    ...rows.map((order) => {
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
          order.failure &&
            el(
              'div',
              { class: 'reason', 'data-failure': order.failure.type ?? '' },
              `${order.failure.type ?? ''}: ${order.failure.message}`,
            ),
        ),
        ...order.steps.map((step) => el('td', {}, activityCell(step, envs))),
        el('td', {}, ...order.compensations.map((c) => el('div', {}, el('b', {}, c.name), ' ', activityCell(c, envs)))),
        el('td', {}, controls && open && cancelButton(order.workflowId, onCancel)),
      );
    }),
  );
}

function cancelButton(workflowId: string, onCancel: (workflowId: string) => void): HTMLElement {
  const button = el('button', { type: 'button', class: 'cancel', 'data-cancel': workflowId }, 'Cancel');
  button.addEventListener('click', () => onCancel(workflowId));
  return button;
}

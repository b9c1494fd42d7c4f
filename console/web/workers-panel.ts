/** The workers panel: the local worker's state, and the Lambda side (local environments, or cloud identities). */

import type { ConsoleHello, WorkersView } from '../console-types';
import { byId, clock, el } from './dom';

export function renderWorkers(workers: WorkersView, hello: ConsoleHello | undefined): void {
  const local = workers.localWorker;
  const parts: (HTMLElement | false | undefined)[] = [];
  if (local) {
    parts.push(
      el(
        'p',
        { 'data-local-worker': local.state },
        el('b', {}, `Local worker${local.pid ? ` pid ${local.pid}` : ''}: `),
        // Coloured by its state: a killed worker must not wear the same badge as a running one.
        el('span', { class: `worker-state ${local.state.replace(' ', '-')}` }, local.state),
        local.detail ? ` (${local.detail})` : '',
      ),
    );
  } else if (hello?.mode === 'cloud') parts.push(el('p', { class: 'muted' }, 'Cloud mode: process controls are off.'));
  if (workers.environments) {
    const live = workers.environments.filter((e) => e.state !== 'gone').length;
    parts.push(el('p', {}, el('b', {}, `Lambda execution environments (${live} alive)`)));
    parts.push(
      el(
        'div',
        { id: 'environments' },
        ...workers.environments.map((e) =>
          el(
            'span',
            {
              class: `env ${e.state.replace(' ', '-')}`,
              'data-env-state': e.state,
              title: e.requestId ? `last request ${e.requestId}` : undefined,
            },
            // `since` is when it entered this state, not when it was created.
            `${e.id} · ${e.state} since ${clock(e.since)} · ${e.invocations} invocation(s)`,
          ),
        ),
      ),
    );
    if (workers.environments.length === 0)
      parts.push(el('p', { class: 'muted' }, 'none: nothing runs, nothing is billed'));
  }
  if (workers.lambdaIdentities) {
    parts.push(
      el('p', {}, el('b', {}, 'Lambda identities seen in the orders: '), String(workers.lambdaIdentities.length)),
    );
    parts.push(el('ul', {}, ...workers.lambdaIdentities.slice(-20).map((id) => el('li', { class: 'muted' }, id))));
  }
  if (workers.concurrentExecutions !== undefined) {
    parts.push(
      el(
        'p',
        {},
        el('b', {}, 'Concurrent executions (this bucket): '),
        el('span', { 'data-concurrency': '' }, String(workers.concurrentExecutions)),
      ),
    );
  }
  byId('workers').replaceChildren(...parts.filter((p): p is HTMLElement => Boolean(p)));
}

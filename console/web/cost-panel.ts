/** The cost panel: this run's Lambda bill on both architectures next to an always-on worker, with the formulas. */

import type { CostView } from '../console-types';
import { byId, el } from './dom';

function usd(value: number): string {
  return value === 0 ? '$0' : value < 0.01 ? `$${value.toFixed(6)}` : `$${value.toFixed(4)}`;
}

export function renderCost(cost: CostView): void {
  const minutes = (cost.wallSeconds / 60).toFixed(1);
  byId('cost').replaceChildren(
    el(
      'p',
      {},
      `This run (${minutes} min): `,
      el('b', { 'data-requests': String(cost.requests) }, `${cost.requests} requests`),
      ', ',
      el('b', { 'data-gbs': cost.billedGbSeconds.toFixed(3) }, `${cost.billedGbSeconds.toFixed(2)} billed GB-s`),
      cost.memoryMb ? ` (${cost.memoryMb} MB function)` : '',
    ),
    el(
      'table',
      {},
      el('tr', {}, el('th', {}, 'Worker'), el('th', {}, 'Requests'), el('th', {}, 'Compute'), el('th', {}, 'Total')),
      ...cost.lambda.map((l) =>
        el(
          'tr',
          {},
          el('td', {}, `Lambda ${l.architecture}`),
          el('td', {}, usd(l.requestsUsd)),
          el('td', {}, usd(l.computeUsd)),
          el('td', {}, usd(l.totalUsd)),
        ),
      ),
      el(
        'tr',
        {},
        el('td', {}, cost.alwaysOn.label),
        el('td', {}, '-'),
        el('td', {}, usd(cost.alwaysOn.totalUsd)),
        el('td', {}, usd(cost.alwaysOn.totalUsd)),
      ),
    ),
    ...cost.formulas.map((f) => el('div', { class: 'formula' }, f)),
    el(
      'div',
      { class: 'muted' },
      `Prices: `,
      el('a', { href: cost.priceSource.url, target: '_blank', rel: 'noopener' }, cost.priceSource.url),
      ` (${cost.priceSource.region}, taken ${cost.priceSource.date}); free tier not counted.`,
    ),
  );
}

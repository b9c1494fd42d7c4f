/** The cost panel: the answer first, large (Lambda vs an always-on worker), then both architectures and the formulas. */

import type { CostView } from '../console-types';
import { byId, el } from './dom';

/** Three significant digits however small: 2 requests cost $0.000000400, which is not $0.000000. */
function usd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 0.01) return `$${value.toFixed(4)}`;
  const digits = Math.min(12, Math.ceil(-Math.log10(value)) + 2);
  return `$${value.toFixed(digits)}`;
}

/** The answer, large: the cheapest Lambda beside the always-on worker over the same minutes. */
function answer(cost: CostView, minutes: string): HTMLElement {
  const cheapest = cost.lambda.reduce((a, b) => (b.totalUsd < a.totalUsd ? b : a), cost.lambda[0]);
  return el(
    'div',
    { class: 'answer' },
    el(
      'div',
      { 'data-answer': 'lambda' },
      `Lambda ${cheapest.architecture}, only what ran:`,
      el('b', { 'data-usd': String(cheapest.totalUsd) }, usd(cheapest.totalUsd)),
    ),
    el(
      'div',
      { 'data-answer': 'always-on' },
      `${cost.alwaysOn.label}, the same ${minutes} min:`,
      el('b', { 'data-usd': String(cost.alwaysOn.totalUsd) }, usd(cost.alwaysOn.totalUsd)),
      // The fleet does not stop when the demo does: what it bills for the rest of today, busy or not.
      el(
        'span',
        { class: 'muted', 'data-rest-of-day-usd': String(cost.alwaysOn.usdPerHour * 24) },
        `and ${usd(cost.alwaysOn.usdPerHour * 24)} a day, orders or none`,
      ),
    ),
  );
}

/** What was billed: requests and GB-seconds. */
function usage(cost: CostView, minutes: string): HTMLElement {
  return el(
    'p',
    {},
    // Counted from the console's start (in the demo: act 1), the same span the always-on price covers.
    `Since the console started (${minutes} min): `,
    el('b', { 'data-requests': String(cost.requests) }, `${cost.requests} requests`),
    ', ',
    el('b', { 'data-gbs': cost.billedGbSeconds.toFixed(3) }, `${cost.billedGbSeconds.toFixed(2)} billed GB-s`),
    cost.memoryMb ? ` (${cost.memoryMb} MB function)` : '',
  );
}

/** Both architectures and the always-on worker, cost by cost. */
function costTable(cost: CostView, minutes: string): HTMLElement {
  return el(
    'table',
    {},
    el(
      'tr',
      {},
      el('th', {}, 'Worker'),
      el('th', {}, 'Requests cost'),
      el('th', {}, 'Compute cost'),
      el('th', {}, 'Total'),
    ),
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
      el('td', {}, 'none'),
      el('td', { title: `${minutes} min of a VM, busy or not` }, usd(cost.alwaysOn.totalUsd)),
      el('td', {}, usd(cost.alwaysOn.totalUsd)),
    ),
  );
}

/** Folded under the answer in the presenter view (open in the full view): the arithmetic behind it. */
function formulas(cost: CostView, open: boolean): HTMLElement {
  return el(
    'details',
    { class: 'formulas', ...(open && { open: '' }) },
    el('summary', {}, 'How it is computed'),
    ...cost.formulas.map((f) => el('div', { class: 'formula' }, f)),
    el(
      'div',
      { class: 'muted prices' },
      `Prices: `,
      el('a', { href: cost.priceSource.url, target: '_blank', rel: 'noopener' }, cost.priceSource.url),
      ` (${cost.priceSource.region}, taken ${cost.priceSource.date}); free tier not counted.`,
    ),
  );
}

export function renderCost(cost: CostView): void {
  const minutes = (cost.wallSeconds / 60).toFixed(1);
  // Redrawn every few seconds: the formulas stay open once the presenter opened them.
  const formulasOpen =
    document.querySelector<HTMLDetailsElement>('#cost details.formulas')?.open ?? document.body.dataset.view === 'full';
  byId('cost').replaceChildren(
    answer(cost, minutes),
    usage(cost, minutes),
    costTable(cost, minutes),
    formulas(cost, formulasOpen),
  );
}

/** The bench's cost tables: wasted invocations per scenario, and the burst scale-out next to an always-on worker. */

import type { BurstResult } from './burst';
import type { WasteFigures } from './invocation-waste';

/** The target: invocations that ran no task cost at most this share of the GB-seconds billed. */
export const WASTED_SHARE_TARGET = 0.1;

export type Table = (headers: string[], rows: string[][]) => string;

function usd(value: number): string {
  return `$${value.toPrecision(3)}`;
}

export function renderWaste(
  scenarios: { name: string; waste: WasteFigures; baseline?: WasteFigures }[],
  table: Table,
  firstTaskGraceMs?: number,
): string {
  const rows = scenarios.map(({ name, waste: w, baseline }) => [
    name,
    String(w.invocations),
    String(w.useful),
    String(w.wasted),
    String(w.noSummary),
    String(w.billedGBSeconds),
    String(w.wastedGBSeconds),
    `${Math.round(w.wastedShare * 100)}%, ${w.wastedShare <= WASTED_SHARE_TARGET ? 'met' : 'MISSED'}`,
    baseline ? `${Math.round(baseline.wastedShare * 100)}% of ${baseline.billedGBSeconds} GB-s` : '-',
  ]);
  const headers = [
    'scenario',
    'invocations',
    'useful',
    'ran no task',
    'no summary',
    'GB-s billed',
    'GB-s wasted',
    'wasted <= 10%',
    "baseline: Temporal's default scaler",
  ];
  const grace =
    firstTaskGraceMs === undefined
      ? ''
      : firstTaskGraceMs === 0
        ? ' (first-task grace off)'
        : ` (first-task grace ${firstTaskGraceMs} ms)`;
  return [`Wasted Lambda invocations (ran no task), per scenario${grace}:`, table(headers, rows)].join('\n');
}

export function renderBurst(burst: BurstResult, table: Table): string {
  const rows = burst.rows.map((r) => [
    String(r.orders),
    r.scaler,
    (r.drainMs / 1000).toFixed(1),
    String(r.peakEnvironments),
    `${r.waste.useful} / ${r.waste.wasted}`,
    String(r.waste.billedGBSeconds),
    usd(r.lambdaUsd),
    usd(r.alwaysOnUsd),
    (r.localWorkerDrainMs / 1000).toFixed(1),
  ]);
  const headers = [
    'orders',
    'scaler',
    'drain s',
    'peak envs',
    'useful / no-task inv.',
    'GB-s',
    'Lambda $',
    'always-on $ (same wall time)',
    'one local worker: drain s',
  ];
  return [
    `Burst with no worker up (Lambda ${burst.architecture}, ${burst.memoryMb} MB, $${burst.usdPerGbSecond}/GB-s + ` +
      `$${burst.usdPerMillionRequests}/1M requests; ` +
      `always on: ${burst.alwaysOn.label}, $${burst.alwaysOn.usdPerHour}/h):`,
    table(headers, rows),
  ].join('\n');
}

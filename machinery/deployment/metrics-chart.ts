/** Draws Lambda metrics as a terminal chart: one row per bucket, a bar for invocations, the other figures beside it. */

import type { MetricsRow } from './lambda-metrics';

const BAR_WIDTH = 30;

/** HH:MM for minute buckets, HH:MM:SS for shorter ones. */
function clock(time: Date, periodSeconds: number): string {
  return time.toISOString().slice(11, periodSeconds % 60 === 0 ? 16 : 19);
}

export function renderMetricsChart(functionName: string, rows: MetricsRow[], periodSeconds: number): string {
  const peak = Math.max(1, ...rows.map((r) => r.invocations));
  const lines = [
    `Lambda ${functionName}: invocations per ${periodSeconds >= 60 ? `${periodSeconds / 60} min` : `${periodSeconds} s`}`,
    `${'time'.padEnd(periodSeconds % 60 === 0 ? 6 : 9)} ${'invocations'.padEnd(BAR_WIDTH + 5)} ${'errors'.padStart(6)} ${'throttled'.padStart(9)} ${'concurrent'.padStart(10)} ${'avg duration'.padStart(12)}`,
  ];
  for (const row of rows) {
    const length = row.invocations === 0 ? 0 : Math.max(1, Math.round((row.invocations / peak) * BAR_WIDTH));
    const bar = row.invocations === 0 ? '·' : '█'.repeat(length);
    const duration = row.invocations === 0 ? '' : `${(row.avgDurationMs / 1000).toFixed(1)} s`;
    lines.push(
      `${clock(row.time, periodSeconds).padEnd(periodSeconds % 60 === 0 ? 6 : 9)} ${`${bar} ${row.invocations}`.padEnd(BAR_WIDTH + 5)} ${String(row.errors).padStart(6)} ${String(row.throttles).padStart(9)} ${String(row.concurrency).padStart(10)} ${duration.padStart(12)}`,
    );
  }
  const total = rows.reduce((sum, r) => sum + r.invocations, 0);
  const last = rows[rows.length - 1];
  lines.push(
    `${total} invocation(s) in the window; ${last && last.invocations === 0 && last.concurrency === 0 ? 'none running now: nothing is billed while there is no work' : 'still working'}.`,
  );
  return lines.join('\n');
}

/** The memory section's verdict: which size is cheapest within the targets, and its table. */

import { COLD_START_TARGET_MS, FAILOVER_BEYOND_WORK_TARGET_MS } from './targets';

export interface MemorySizeRow {
  memoryMb: number;
  /** The CPU share the environments got (vCPUs), or undefined when they ran unlimited. */
  vcpus?: number;
  coldMs: number[];
  medianColdMs: number;
  failoverBeyondWorkMs: number[];
  medianFailoverBeyondWorkMs: number;
  /** The cost: orders one at a time with no worker up, and what their Lambda invocations billed. */
  orders: number;
  invocations: number;
  billedGBSeconds: number;
  gbSecondsPerOrder: number;
  usdPer1000Orders: number;
  /** The environments' peak resident memory over those orders (REPORT's Max Memory Used), when it was read. */
  maxMemoryUsedMb?: number;
}

export interface MemorySizeResult {
  /** How the environments' CPU was set: "cgroup v1, 1 vCPU per 1769 MB", or why it was not. */
  cpuShare: string;
  cpuShareApplied: boolean;
  reps: number;
  architecture: string;
  usdPerGbSecond: number;
  usdPerMillionRequests: number;
  coldStartTargetMs: number;
  failoverTargetMs: number;
  rows: MemorySizeRow[];
  chosen: { memoryMb: number; met: boolean; why: string };
}

export function meetsTargets(row: MemorySizeRow): boolean {
  return row.medianColdMs <= COLD_START_TARGET_MS && row.medianFailoverBeyondWorkMs <= FAILOVER_BEYOND_WORK_TARGET_MS;
}

/**
 * Cold starts this close to the fastest measured are taken as equal: on a shared machine one run's cold starts vary
 * about this much between repetitions (982-1441 ms over five in the 2026-11-22 run), whatever the memory size.
 */
export const COLD_START_NOISE = 0.25;

/**
 * The cheapest size per order among those that meet both targets. When none does (so memory is not what limits
 * the cold start), the cheapest among those with failover met whose cold start is within the noise of the fastest,
 * marked missed: more memory that does not measurably start faster only costs more.
 */
export function chooseMemorySize(rows: readonly MemorySizeRow[]): MemorySizeResult['chosen'] {
  if (rows.length === 0) throw new Error('no memory size was measured');
  const cheapest = (list: readonly MemorySizeRow[]) =>
    [...list].sort((a, b) => a.usdPer1000Orders - b.usdPer1000Orders || a.memoryMb - b.memoryMb)[0];
  const met = rows.filter(meetsTargets);
  if (met.length > 0)
    return { memoryMb: cheapest(met).memoryMb, met: true, why: 'the cheapest per order within both targets' };
  const failoverOk = rows.filter((r) => r.medianFailoverBeyondWorkMs <= FAILOVER_BEYOND_WORK_TARGET_MS);
  const candidates = failoverOk.length > 0 ? failoverOk : rows;
  const fastest = Math.min(...candidates.map((r) => r.medianColdMs));
  const nearFastest = candidates.filter((r) => r.medianColdMs <= fastest * (1 + COLD_START_NOISE));
  return {
    memoryMb: cheapest(nearFastest).memoryMb,
    met: false,
    why:
      `no size met both targets: the cheapest${failoverOk.length > 0 ? ' with failover met' : ''} whose cold start ` +
      `is within ${Math.round(COLD_START_NOISE * 100)}% of the fastest (${fastest} ms)`,
  };
}

export function renderMemorySizes(
  result: MemorySizeResult,
  table: (headers: string[], rows: string[][]) => string,
): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rows = result.rows.map((r) => [
    String(r.memoryMb),
    r.vcpus === undefined ? 'unlimited' : r.vcpus.toFixed(2),
    `${r.medianColdMs} (${r.coldMs.join(', ')}) ${mark(r.medianColdMs <= result.coldStartTargetMs)}`,
    `${r.medianFailoverBeyondWorkMs} ${mark(r.medianFailoverBeyondWorkMs <= result.failoverTargetMs)}`,
    `${r.billedGBSeconds} / ${r.invocations}`,
    r.gbSecondsPerOrder.toFixed(2),
    `$${r.usdPer1000Orders.toFixed(4)}`,
    r.maxMemoryUsedMb === undefined ? '?' : String(r.maxMemoryUsedMb),
  ]);
  const c = result.chosen;
  return [
    `Memory size (${result.reps} repetition(s) per size; CPU: ${result.cpuShare}; Lambda ${result.architecture}, ` +
      `$${result.usdPerGbSecond}/GB-s + $${result.usdPerMillionRequests}/M requests):`,
    table(
      [
        'MB',
        'vCPU',
        `cold start ms (<= ${result.coldStartTargetMs})`,
        `failover beyond work ms (<= ${result.failoverTargetMs})`,
        `GB-s / invocations, ${result.rows[0]?.orders ?? 0} orders one at a time`,
        'GB-s per order',
        '$ per 1000 orders',
        'max MB used',
      ],
      rows,
    ),
    `Chosen: ${c.memoryMb} MB (${c.why}): ${c.met ? 'met' : 'MISSED'}`,
  ].join('\n');
}

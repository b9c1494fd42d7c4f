/** The benchmark's results: their shape (also the JSON file's) and the table printed at the end. */

import { renderArrivalRates } from './arrival-report';
import type { ArrivalRatesResult } from './arrival-rates';
import { BURST_SCALERS, type BurstResult } from './burst';
import { renderCacheAcceptance, type CacheAcceptanceResult } from './cache-acceptance';
import type { ColdStartResult } from './cold-start';
import type { FailoverResult } from './failover';
import type { WatchingResult } from './watching';
import type { IdleCostResult } from './idle-cost';
import type { LongHaulResult } from './long-haul';
import { longHaulRows } from './long-haul-report';
import { renderMemorySizes, type MemorySizeResult } from './memory-report';
import type { PackageResult } from './package-size';
import { renderBreakdown } from './cold-start-breakdown';
import {
  COLD_START_TARGET_MS,
  DEPLOYED_COLD_START_TARGET_MS,
  FAILOVER_BEYOND_WORK_TARGET_MS,
  IDLE_COST_TARGET_SHARE,
} from './targets';
import type { GrowthRow, ThroughputResult } from './throughput';
import { renderBurst, renderWaste } from './waste-report';

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  durationS?: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; arch: string };
  /** The Node the local Lambda environments ran, per runtime (e.g. nodejs22.x: v22.23.5). */
  lambdaNode?: Record<string, string>;
  /** The CPU each Lambda environment could use: Lambda's share of its memory size, or unlimited and why. */
  lambdaCpu?: string;
  reps: number;
  /** The Lambda's first-task grace in this run (ms; 0 = off). */
  firstTaskGraceMs?: number;
  throughput?: ThroughputResult;
  growth?: GrowthRow[];
  package?: PackageResult;
  coldStart?: ColdStartResult;
  failover?: FailoverResult;
  watching?: WatchingResult;
  idleCost?: IdleCostResult;
  burst?: BurstResult;
  memory?: MemorySizeResult;
  longHaul?: LongHaulResult;
  cacheAcceptance?: CacheAcceptanceResult;
  arrivalRates?: ArrivalRatesResult;
}

export interface Row {
  measure: string;
  shopflow: string;
  baseline: string;
  target: string;
  verdict: string;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'met' : 'MISSED';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderReport(results: BenchResults): string {
  const parts = [...machineLines(results)];
  const rows = summaryRows(results);
  if (rows.length > 0) {
    parts.push(
      '',
      table(
        ['measure', 'ShopFlow', 'baseline', 'target', 'result'],
        rows.map((r) => [r.measure, r.shopflow, r.baseline, r.target, r.verdict]),
      ),
    );
  }
  return [...parts, ...sections(results)].join('\n');
}

/** The summary table's rows: one group per measured section, in the order they ran. */
function summaryRows(results: BenchResults): Row[] {
  return [
    ...(results.throughput ? throughputRows(results.throughput) : []),
    ...(results.package ? packageRows(results.package) : []),
    ...(results.coldStart ? coldStartRows(results.coldStart) : []),
    ...(results.failover ? failoverRows(results.failover) : []),
    ...(results.idleCost ? idleCostRows(results.idleCost) : []),
    ...(results.watching ? watchingRows(results.watching) : []),
    ...(results.longHaul ? longHaulRows(results.longHaul, verdict) : []),
  ];
}

/** The machine and the Node the Lambda environments ran: what the figures depend on. */
function machineLines(results: BenchResults): string[] {
  const m = results.machine;
  return [
    `ShopFlow benchmark: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}; medians of ${results.reps} repetition(s)`,
    ...(results.lambdaNode && Object.keys(results.lambdaNode).length > 0
      ? [
          `Lambda environments ran ${Object.entries(results.lambdaNode)
            .map(([runtime, node]) => `${runtime} on Node ${node}`)
            .join(', ')}${results.lambdaCpu ? `; CPU per environment: ${results.lambdaCpu}` : ''}`,
        ]
      : []),
  ];
}

/** The sections after the summary table, each preceded by a blank line. */
function sections(results: BenchResults): string[] {
  const parts: string[] = [];
  const c = results.coldStart;
  const f = results.failover;
  const i = results.idleCost;
  if (results.growth) {
    parts.push('', 'Growth (ShopFlow, one local worker, instant services):');
    parts.push(
      table(
        ['in flight', 'orders', 'orders/s', 'p50 ms', 'p95 ms'],
        results.growth.map((g) =>
          [g.concurrency, g.orders, g.ordersPerSecond, g.latencyP50Ms, g.latencyP95Ms].map(String),
        ),
      ),
    );
  }
  const scenarios = [
    ...(f?.waste ? [{ name: 'one-order failover', waste: f.waste }] : []),
    ...(i?.idleExit.waste ? [{ name: `${i.orders}-order burst (idle-cost)`, waste: i.idleExit.waste }] : []),
    ...burstWasteScenarios(results.burst),
  ];
  if (c?.breakdown.length) parts.push('', renderBreakdown(c.breakdown, DEPLOYED_COLD_START_TARGET_MS, table));
  if (c?.breakdownMissing) parts.push('', `Cold start breakdown: MISSING for a cold start: ${c.breakdownMissing}`);
  if (scenarios.length > 0) parts.push('', renderWaste(scenarios, table, results.firstTaskGraceMs));
  if (results.burst) parts.push('', renderBurst(results.burst, table));
  if (results.memory) parts.push('', renderMemorySizes(results.memory, table));
  if (results.cacheAcceptance) parts.push('', renderCacheAcceptance(results.cacheAcceptance, table));
  if (results.arrivalRates) parts.push('', renderArrivalRates(results.arrivalRates, table));
  return parts;
}

/** Orders per second and latency beside the baseline worker. */
function throughputRows(t: ThroughputResult): Row[] {
  return [
    {
      measure: `throughput, ${t.concurrency} in flight (orders/s)`,
      shopflow: String(t.medianShopflow),
      baseline: String(t.medianBaseline),
      target: '>= 0.8 x baseline',
      verdict: `${t.ratio} x, ${verdict(t.ratio >= 0.8)}`,
    },
    {
      measure: 'order latency p50 / p95 (ms)',
      shopflow: `${t.shopflowLatencyP50Ms} / ${t.shopflowLatencyP95Ms}`,
      baseline: `${t.baselineLatencyP50Ms} / ${t.baselineLatencyP95Ms}`,
      target: '',
      verdict: '',
    },
  ];
}

/** The zip's sizes and the handler's load time, with and without the compile cache. */
function packageRows(p: PackageResult): Row[] {
  // The target is on wall time; CPU time, less moved by other work on a shared machine, is shown beside it.
  const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
  const cpuPercent = (cpuMs: number) => percent(cpuMs / p.medianBaselineLoadCpuMs);
  return [
    {
      measure: 'zip, x86_64 (MB zipped / unzipped)',
      shopflow: `${p.x86_64.zippedMB} / ${p.x86_64.unzippedMB}`,
      baseline: `${p.baseline.zippedMB} / ${p.baseline.unzippedMB}`,
      target: '<= 15 MB zipped',
      verdict: verdict(p.x86_64.zippedMB <= 15),
    },
    {
      measure: '  zip, x86_64, no compile cache',
      shopflow: `${p.x86_64NoCache.zippedMB} / ${p.x86_64NoCache.unzippedMB}`,
      baseline: '',
      target: '',
      verdict: '',
    },
    {
      measure: 'zip, arm64 (MB zipped / unzipped)',
      shopflow: `${p.arm64.zippedMB} / ${p.arm64.unzippedMB}`,
      baseline: '',
      target: '',
      verdict: '',
    },
    {
      measure: `handler load, fresh process, ${p.loadArch}, compile cache${p.cacheUsed ? '' : ' NOT USED'} (ms)`,
      shopflow: `${p.medianLoadMs} (CPU ${p.medianLoadCpuMs})`,
      baseline: `${p.medianBaselineLoadMs} (CPU ${p.medianBaselineLoadCpuMs})`,
      target: '<= 50% of baseline',
      verdict: `${percent(p.loadRatio)} (CPU ${cpuPercent(p.medianLoadCpuMs)}), ${verdict(p.loadRatio <= 0.5)}`,
    },
    {
      measure: '  handler load, no compile cache (ms)',
      shopflow: `${p.medianNoCacheLoadMs} (CPU ${p.medianNoCacheLoadCpuMs})`,
      baseline: `${p.medianBaselineLoadMs} (CPU ${p.medianBaselineLoadCpuMs})`,
      target: '<= 50% of baseline',
      verdict:
        `${percent(p.noCacheLoadRatio)} (CPU ${cpuPercent(p.medianNoCacheLoadCpuMs)}), ` +
        verdict(p.noCacheLoadRatio <= 0.5),
    },
  ];
}

/** Invoke to first activity done, cold, against the targets. */
function coldStartRows(c: ColdStartResult): Row[] {
  return [
    {
      measure: `cold start: Invoke -> first activity done, compile cache${c.cacheUsed ? '' : ' NOT USED'} (ms)`,
      shopflow: String(c.medianColdMs),
      baseline: `warm: ${c.medianWarmMs}`,
      target: `<= ${DEPLOYED_COLD_START_TARGET_MS} ms`,
      verdict: verdict(c.medianColdMs <= DEPLOYED_COLD_START_TARGET_MS),
    },
    {
      measure: "  the same with --enable-source-maps (opt-in; handler: Node's cache only)",
      shopflow: String(c.medianSourceMapsColdMs),
      baseline: `warm: ${c.medianSourceMapsWarmMs}`,
      target: `<= ${COLD_START_TARGET_MS} ms`,
      verdict: verdict(c.medianSourceMapsColdMs <= COLD_START_TARGET_MS),
    },
    {
      measure: '  cold start, no compile cache (ms)',
      shopflow: String(c.medianNoCacheColdMs),
      baseline: `warm: ${c.medianNoCacheWarmMs}`,
      target: `<= ${COLD_START_TARGET_MS} ms`,
      verdict: verdict(c.medianNoCacheColdMs <= COLD_START_TARGET_MS),
    },
  ];
}

/** SIGKILL of the local worker to the order done on the Lambda. */
function failoverRows(f: FailoverResult): Row[] {
  return [
    {
      measure: `failover: SIGKILL -> done on Lambda (ms)`,
      shopflow: String(f.medianKillToCompleteMs),
      baseline: `work left: ${f.remainingWorkMs}`,
      target: '',
      verdict: '',
    },
    {
      measure: '  beyond the work left at the kill (ms)',
      shopflow: String(f.medianBeyondRemainingWorkMs),
      baseline: '',
      target: `<= ${FAILOVER_BEYOND_WORK_TARGET_MS} ms`,
      verdict: verdict(f.medianBeyondRemainingWorkMs <= FAILOVER_BEYOND_WORK_TARGET_MS),
    },
  ];
}

/** What a burst's idle window costs, beside the official lifecycle. */
function idleCostRows(i: IdleCostResult): Row[] {
  return [
    {
      measure: `idle cost: ${i.orders}-order burst, billed GB-s`,
      shopflow: String(i.idleExit.billedGBSeconds),
      baseline: `${i.official.billedGBSeconds} (official)`,
      target: `<= ${IDLE_COST_TARGET_SHARE * 100}% of official`,
      verdict: `${(i.ratio * 100).toFixed(1)}%, ${verdict(i.ratio <= IDLE_COST_TARGET_SHARE)}`,
    },
    {
      measure: '  invocations (during the idle window)',
      shopflow: `${i.idleExit.invocations} (${i.idleExit.invocationsDuringIdle})`,
      baseline: `${i.official.invocations} (${i.official.invocationsDuringIdle})`,
      target: '0 while idle',
      verdict: verdict(i.idleExit.invocationsDuringIdle === 0),
    },
  ];
}

/** Invocations an observer causes with no worker up. */
function watchingRows(w: WatchingResult): Row[] {
  return [
    {
      measure: `watching: console open ${w.watchSeconds} s, no worker up: invocations`,
      shopflow: String(w.consoleInvocations),
      baseline: `${w.queryInvocations} for one getStatus query (${w.queryBilledGBSeconds} GB-s)`,
      target: '0',
      verdict: verdict(w.consoleInvocations === 0),
    },
  ];
}

/** Each burst size with ShopFlow's scaler, beside the same burst with the controller's default (the baseline). */
function burstWasteScenarios(burst: BurstResult | undefined) {
  const [ours, baseline] = BURST_SCALERS.map((scaler) => burst?.rows.filter((r) => r.scaler === scaler.label) ?? []);
  return ours.map((r) => ({
    name: `${r.orders}-order burst, no worker up`,
    waste: r.waste,
    baseline: baseline.find((b) => b.orders === r.orders)?.waste,
  }));
}

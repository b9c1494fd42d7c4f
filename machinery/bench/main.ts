/**
 * `npm run bench`: ShopFlow's speed, size and cost figures, each measured side by side with its baseline in the
 * same run on the same dev server, printed as a table and written as JSON. Everything it starts is stopped.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runEntryPoint } from '../../client/command-line';
import { runOnStage, type Stage } from '../devstack/stage';
import { LAMBDA_FIRST_TASK_GRACE_MS } from '../../config/settings';
import { DATA_DIR } from '../plumbing/project-paths';
import { BENCH_USAGE, WATCH_SECONDS, parseBenchArgs, type BenchArgs } from './args';
import { startBenchStack, type BenchStack } from './bench-stack';
import { renderReport, type BenchResults } from './report';
import { measureBurst } from './burst';
import { measureCacheAcceptance } from './cache-acceptance';
import { measureColdStart } from './cold-start';
import { measureFailover } from './failover';
import { measureIdleCost } from './idle-cost';
import { LONG_HAUL_FUNCTION_TIMEOUT_S, LONG_HAUL_TIMEOUTS, measureLongHaul } from './long-haul';
import { measureMemorySizes } from './memory-size';
import { measureArrivalRates } from './arrival-rates';
import { ARRIVAL_RATES_PER_MINUTE } from './arrival-schedule';
import { MEASURED_TRAFFIC_FILE, measuredTraffic, saveMeasuredTraffic } from './traffic-file';
import { measurePackage } from './package-size';
import { measureThroughput } from './throughput';
import { measureWatching } from './watching';

type Section = BenchArgs['only'][number];
type Measuring = { args: BenchArgs; stack: BenchStack; results: BenchResults; log: (line: string) => void };

async function runBench(args: BenchArgs, stage: Stage): Promise<BenchResults> {
  const log = (line: string) => console.log(line);
  const results: BenchResults = { startedAt: new Date().toISOString(), machine: thisMachine(), reps: args.reps };
  const functionEnvironment: Record<string, string> = {};
  if (args.firstTaskGraceMs !== undefined)
    functionEnvironment.SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS = String(args.firstTaskGraceMs);
  const stack = await startBenchStack(
    path.join(DATA_DIR, 'bench', 'work'),
    stage,
    log,
    functionEnvironment,
    args.lambdaNode,
    args.lambdaRuntime,
  );
  results.firstTaskGraceMs = args.firstTaskGraceMs ?? LAMBDA_FIRST_TASK_GRACE_MS;
  const measuring = { args, stack, results, log };
  await measureSpeedAndSize(measuring);
  await measureCost(measuring);
  await measureLongRuns(measuring);
  results.lambdaCpu = stack.lambda.cpuShares.describe();
  results.lambdaNode =
    args.lambdaNode === 'host' ? { host: process.version } : Object.fromEntries(stack.lambda.nodeVersions);
  results.finishedAt = new Date().toISOString();
  return results;
}

function thisMachine(): BenchResults['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    arch: process.arch,
  };
}

/** Throughput (and growth), the package, cold start and failover, each asked-for section in turn. */
async function measureSpeedAndSize({ args, stack, results, log }: Measuring): Promise<void> {
  const wants = (section: Section) => args.only.includes(section);
  if (wants('throughput') || wants('growth')) {
    log(`\n▶ throughput: ${args.orders} orders per repetition, ShopFlow and the baseline side by side`);
    const measured = await measureThroughput(stack, args.reps, args.orders, wants('growth'));
    if (wants('throughput')) results.throughput = measured.throughput;
    results.growth = measured.growth;
  }
  if (wants('package')) {
    log('\n▶ Lambda package: ShopFlow (esbuild) and the sample-style baseline (tsc + production node_modules)');
    results.package = await measurePackage(stack, args.reps);
  }
  if (wants('cold-start')) {
    log('\n▶ cold start: Invoke with no warm environment -> first activity completed');
    results.coldStart = await measureColdStart(stack, args.reps);
  }
  if (wants('failover')) {
    log('\n▶ failover: SIGKILL the local worker mid-activity; the Lambda, invoked by Temporal, finishes the order');
    results.failover = await measureFailover(stack, args.reps);
  }
}

/** Idle cost, bursts, watching and memory sizes. */
async function measureCost({ args, stack, results, log }: Measuring): Promise<void> {
  const wants = (section: Section) => args.only.includes(section);
  if (wants('idle-cost')) {
    log('\n▶ cost of idleness: idle exit against the official full-timeout lifecycle, same burst, same timeout');
    results.idleCost = await measureIdleCost(stack);
  }
  if (wants('burst')) {
    log(
      `\n▶ burst: ${args.burstSizes.join(', ')} orders at once with no worker up; the Lambda scales out, then one local worker`,
    );
    results.burst = await measureBurst(stack, args.burstSizes);
  }
  if (wants('watching')) {
    log(
      `\n▶ watching wakes no worker: the console open ${WATCH_SECONDS} s on a completed order, beside one getStatus query`,
    );
    results.watching = await measureWatching(stack, WATCH_SECONDS);
  }
  if (wants('memory')) {
    log(
      `\n▶ memory size: cold start, failover and cost per order at ${args.memorySizes.join(', ')} MB, each with ` +
        `Lambda's CPU share (${args.memoryReps} repetition(s) per size, to keep it affordable)`,
    );
    results.memory = await measureMemorySizes(stack, args.memorySizes, args.memoryReps);
  }
}

/** The long haul, compile cache acceptance and arrival rates. */
async function measureLongRuns({ args, stack, results, log }: Measuring): Promise<void> {
  const wants = (section: Section) => args.only.includes(section);
  if (wants('long-haul')) {
    log(
      `\n▶ long haul: a shipment of ${LONG_HAUL_TIMEOUTS} function timeouts (${LONG_HAUL_FUNCTION_TIMEOUT_S} s) on the ` +
        'Lambda alone, then on an always-on local worker',
    );
    results.longHaul = await measureLongHaul(stack);
  }
  if (wants('cache-acceptance')) {
    log(
      `\n▶ compile cache acceptance: a cache made by each of Node ${args.cacheNodeVersions.join(', ')}, ` +
        'loaded by each',
    );
    results.cacheAcceptance = await measureCacheAcceptance(stack, args.cacheNodeVersions, args.reps);
  }
  if (wants('arrival-rates')) {
    log(
      `\n▶ arrival rates: ${ARRIVAL_RATES_PER_MINUTE.join(', ')} happy orders a minute, ${args.arrivalWindowS} s each, ` +
        `on the Lambda alone at ${args.arrivalMemorySizes.join(', ')} MB; then one local worker's capacity`,
    );
    results.arrivalRates = await measureArrivalRates(stack, args.arrivalMemorySizes, args.arrivalWindowS);
    if (args.saveTraffic) {
      const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
      saveMeasuredTraffic(measuredTraffic(results.arrivalRates, command));
      log(`  figures written to ${path.relative(process.cwd(), MEASURED_TRAFFIC_FILE)}`);
    }
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), path.join(DATA_DIR, 'bench', 'results.json'));
  if (args === 'help') return console.log(BENCH_USAGE);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  await runOnStage({ name: 'bench', what: 'the benchmark', stackTraces: true }, async (stage) => {
    const started = Date.now();
    const results = await runBench(args, stage);
    results.durationS = Math.round((Date.now() - started) / 1000);
    console.log(`\n${renderReport(results)}`);
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `\nResults written to ${path.relative(process.cwd(), args.out)} (benchmark took ${results.durationS} s).`,
    );
    return 0;
  });
}

runEntryPoint('bench', BENCH_USAGE, main);

/**
 * The Lambda package: zipped and unzipped size for both architectures (and x86_64 without its compile cache), and
 * how long the handler module takes to load in a fresh process of the runtime's Node started with Lambda's flags
 * (a cold start pays it every time), with and without the compile cache, against the sample-style baseline package.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_PORT } from '../../config/settings';
import { hostArchitecture, type LambdaArchitecture } from '../../config/lambda-architecture';
import { RUST_TARGET } from '../lambda-entry/check-package';
import { lambdaNodeFlags } from '../lambda-entry/runtime-flags';
import { LAMBDA_RUNTIME } from '../deployment/lambda-deployment';
import { ensureRuntimeNode } from '../plumbing/runtime-node';
import { extractZip } from '../plumbing/zip';
import { buildLambdaPackage, type BuildResult } from '../deployment/lambda-package';
import type { BenchStack } from './bench-stack';
import { BENCH_MEMORY_MB } from './bench-functions';
import { buildSampleStylePackage } from './sample-style-package';
import { median, round } from './stats';

const MB = 1024 * 1024;

export interface PackageResult {
  x86_64: { zippedMB: number; unzippedMB: number };
  arm64: { zippedMB: number; unzippedMB: number };
  /** The x86_64 package built with --no-compile-cache: what the cache adds. */
  x86_64NoCache: { zippedMB: number; unzippedMB: number };
  baseline: { zippedMB: number; unzippedMB: number };
  /** Wall time of the load, with the compile cache, without it, and the baseline's. */
  loadMs: number[];
  noCacheLoadMs: number[];
  baselineLoadMs: number[];
  medianLoadMs: number;
  medianNoCacheLoadMs: number;
  medianBaselineLoadMs: number;
  loadRatio: number;
  noCacheLoadRatio: number;
  /** CPU time of the same loads: less moved than wall time by other work on a shared machine. */
  medianLoadCpuMs: number;
  medianNoCacheLoadCpuMs: number;
  medianBaselineLoadCpuMs: number;
  /** The Node that loaded them (the runtime's, Lambda's flags for the bench memory); whether the cache was used. */
  loadNode: string;
  cacheUsed: boolean;
  /** The architecture whose package the load times were measured on: this machine's. */
  loadArch: LambdaArchitecture;
}

export interface Load {
  wallMs: number;
  cpuMs: number;
  output: string;
}

export function measureLoad(node: string, taskRoot: string, handler: string): Load {
  const run = spawnSync(
    node,
    [...lambdaNodeFlags(BENCH_MEMORY_MB), path.join(__dirname, 'measure-handler-load.cjs'), taskRoot, handler],
    {
      cwd: taskRoot,
      encoding: 'utf8',
      // A clean environment, as in Lambda: nothing of the project's settings or node_modules leaks in.
      env: {
        PATH: process.env.PATH,
        HOME: taskRoot,
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'shopflow-bench',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(BENCH_MEMORY_MB),
        TEMPORAL_ADDRESS: `127.0.0.1:${DEV_SERVER_PORT}`,
      },
    },
  );
  const match = /LOAD_MS (\S+) CPU_MS (\S+)/.exec(run.stdout);
  if (run.status !== 0 || !match)
    throw new Error(`loading ${handler} from ${taskRoot} failed:\n${run.stdout}\n${run.stderr}`);
  return { wallMs: Number(match[1]), cpuMs: Number(match[2]), output: `${run.stdout}${run.stderr}` };
}

export async function measurePackage(stack: BenchStack, reps: number): Promise<PackageResult> {
  const dir = path.join(stack.workDir, 'package');
  fs.mkdirSync(dir, { recursive: true });
  const builds = await buildShopflowPackages(stack, dir);
  const { x86, arm, x86NoCache } = builds;
  const sampleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-bench-sample-'));
  stack.stage.own('sample-style package', () => fs.rmSync(sampleDir, { recursive: true, force: true }));
  // Load times are measured here, so on this machine's architecture: both packages carry its native core.
  const loadArch = hostArchitecture(process.arch);
  const baseline = await buildSampleStylePackage(sampleDir, RUST_TARGET[loadArch], stack.log);

  const withCache = await unpack(stack, (loadArch === 'arm64' ? arm : x86).outFile, 'unpacked package');
  // Without the cache: the x86_64 build without it (on an arm64 machine the arm64 package, which never has one).
  const withoutCache = await unpack(
    stack,
    (loadArch === 'arm64' ? arm : x86NoCache).outFile,
    'unpacked package, no cache',
  );
  const node = ensureRuntimeNode(LAMBDA_RUNTIME, stack.log);
  if (node.warning) stack.log(`  Warning: ${node.warning}`);
  const cached: Load[] = [];
  const uncached: Load[] = [];
  const baselineLoads: Load[] = [];
  // At least 5 loads each, interleaved, so all see the same page cache and the same background load.
  for (let i = 0; i < Math.max(5, reps); i++) {
    cached.push(measureLoad(node.executable, withCache, 'index.handler'));
    uncached.push(measureLoad(node.executable, withoutCache, 'index.handler'));
    baselineLoads.push(measureLoad(node.executable, baseline.taskRoot, baseline.handler));
  }
  const cacheLine = /ShopFlow compile cache: .*/.exec(cached[0].output)?.[0] ?? 'no compile cache line';
  const list = (loads: Load[]) => loads.map((l) => `${l.wallMs.toFixed(0)} (${l.cpuMs.toFixed(0)} CPU)`).join(', ');
  stack.log(`  handler load on Node ${node.version} (${lambdaNodeFlags(BENCH_MEMORY_MB).join(' ')}), ms:`);
  stack.log(`    ShopFlow with compile cache: ${list(cached)}; ${cacheLine}`);
  stack.log(`    ShopFlow without: ${list(uncached)}`);
  stack.log(`    baseline: ${list(baselineLoads)}`);
  return {
    ...packageSizes(builds, baseline),
    ...loadFigures({ cached, uncached, baselineLoads }),
    loadNode: node.version,
    cacheUsed: cached.every((load) => load.output.includes('ShopFlow compile cache: used')),
    loadArch,
  };
}

/** ShopFlow's package for each architecture, and for x86_64 once more without the compile cache. */
async function buildShopflowPackages(stack: BenchStack, dir: string) {
  const log = (line: string) => stack.log(`  ${line}`);
  const x86 = await buildLambdaPackage({
    arch: 'x86_64',
    includeCerts: false,
    outFile: path.join(dir, 'function-x86_64.zip'),
    log,
  });
  const arm = await buildLambdaPackage({
    arch: 'arm64',
    includeCerts: false,
    outFile: path.join(dir, 'function-arm64.zip'),
    log,
  });
  const x86NoCache = await buildLambdaPackage({
    arch: 'x86_64',
    includeCerts: false,
    outFile: path.join(dir, 'function-x86_64-no-compile-cache.zip'),
    log,
    compileCache: false,
  });
  return { x86, arm, x86NoCache };
}

/** Outside the project, so that a module missing from the package fails instead of loading from ./node_modules. */
async function unpack(stack: BenchStack, zipFile: string, what: string): Promise<string> {
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-bench-unpacked-'));
  stack.stage.own(what, () => fs.rmSync(taskRoot, { recursive: true, force: true }));
  await extractZip(zipFile, taskRoot);
  return taskRoot;
}

function packageSizes(
  builds: Record<'x86' | 'arm' | 'x86NoCache', BuildResult>,
  baseline: { zipFile: string; unzippedBytes: number },
) {
  const size = (zipped: number, unzipped: number) => ({
    zippedMB: round(zipped / MB, 1),
    unzippedMB: round(unzipped / MB, 1),
  });
  return {
    x86_64: size(builds.x86.zippedBytes, builds.x86.unzippedBytes),
    arm64: size(builds.arm.zippedBytes, builds.arm.unzippedBytes),
    x86_64NoCache: size(builds.x86NoCache.zippedBytes, builds.x86NoCache.unzippedBytes),
    baseline: size(fs.statSync(baseline.zipFile).size, baseline.unzippedBytes),
  };
}

function loadFigures({ cached, uncached, baselineLoads }: Record<'cached' | 'uncached' | 'baselineLoads', Load[]>) {
  const wall = (loads: Load[]) => median(loads.map((l) => l.wallMs));
  const cpu = (loads: Load[]) => round(median(loads.map((l) => l.cpuMs)), 1);
  return {
    loadMs: cached.map((l) => round(l.wallMs, 1)),
    noCacheLoadMs: uncached.map((l) => round(l.wallMs, 1)),
    baselineLoadMs: baselineLoads.map((l) => round(l.wallMs, 1)),
    medianLoadMs: round(wall(cached), 1),
    medianNoCacheLoadMs: round(wall(uncached), 1),
    medianBaselineLoadMs: round(wall(baselineLoads), 1),
    loadRatio: round(wall(cached) / wall(baselineLoads), 3),
    noCacheLoadRatio: round(wall(uncached) / wall(baselineLoads), 3),
    medianLoadCpuMs: cpu(cached),
    medianNoCacheLoadCpuMs: cpu(uncached),
    medianBaselineLoadCpuMs: cpu(baselineLoads),
  };
}

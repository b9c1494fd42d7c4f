/**
 * The Lambda package: zipped and unzipped size for both architectures, and how long the handler module takes to
 * load in a fresh Node process (a cold start pays it every time), against the sample-style baseline package.
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_SERVER_PORT } from '../config/settings';
import { hostArchitecture, type LambdaArchitecture } from '../config/lambda-architecture';
import { RUST_TARGET } from '../lambda/check-package';
import { extractZip } from '../deployment/zip';
import { buildLambdaPackage } from '../deployment/lambda-package';
import type { BenchStack } from './bench-stack';
import { buildSampleStylePackage } from './sample-style-package';
import { median, round } from './stats';

const MB = 1024 * 1024;

export interface PackageResult {
  x86_64: { zippedMB: number; unzippedMB: number };
  arm64: { zippedMB: number; unzippedMB: number };
  baseline: { zippedMB: number; unzippedMB: number };
  loadMs: number[];
  baselineLoadMs: number[];
  medianLoadMs: number;
  medianBaselineLoadMs: number;
  loadRatio: number;
  /** The architecture whose package the load times were measured on: this machine's. */
  loadArch: LambdaArchitecture;
}

function measureLoad(taskRoot: string, handler: string): number {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'measure-handler-load.cjs'), taskRoot, handler], {
    cwd: taskRoot,
    encoding: 'utf8',
    // A clean environment, as in Lambda: nothing of the project's settings or node_modules leaks in.
    env: {
      PATH: process.env.PATH,
      HOME: taskRoot,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'shopflow-bench',
      TEMPORAL_ADDRESS: `127.0.0.1:${DEV_SERVER_PORT}`,
    },
  });
  const match = /LOAD_MS (\S+)/.exec(run.stdout);
  if (run.status !== 0 || !match)
    throw new Error(`loading ${handler} from ${taskRoot} failed:\n${run.stdout}\n${run.stderr}`);
  return Number(match[1]);
}

export async function measurePackage(stack: BenchStack, reps: number): Promise<PackageResult> {
  const dir = path.join(stack.workDir, 'package');
  fs.mkdirSync(dir, { recursive: true });
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
  const sampleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-bench-sample-'));
  stack.stage.own('sample-style package', () => fs.rmSync(sampleDir, { recursive: true, force: true }));
  // Load times are measured here, so on this machine's architecture: both packages carry its native core.
  const loadArch = hostArchitecture();
  const baseline = await buildSampleStylePackage(sampleDir, RUST_TARGET[loadArch], stack.log);

  // Outside the project, so that a module missing from the package fails instead of loading from ./node_modules.
  const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-bench-unpacked-'));
  stack.stage.own('unpacked package', () => fs.rmSync(taskRoot, { recursive: true, force: true }));
  await extractZip((loadArch === 'arm64' ? arm : x86).outFile, taskRoot);
  const loadMs: number[] = [];
  const baselineLoadMs: number[] = [];
  // At least 5 loads each, interleaved, so both see the same page cache and the same background load.
  for (let i = 0; i < Math.max(5, reps); i++) {
    loadMs.push(measureLoad(taskRoot, 'index.handler'));
    baselineLoadMs.push(measureLoad(baseline.taskRoot, baseline.handler));
  }
  stack.log(
    `  handler load: ShopFlow ${loadMs.map((ms) => ms.toFixed(0)).join(', ')} ms; baseline ${baselineLoadMs.map((ms) => ms.toFixed(0)).join(', ')} ms`,
  );
  const size = (zipped: number, unzipped: number) => ({
    zippedMB: round(zipped / MB, 1),
    unzippedMB: round(unzipped / MB, 1),
  });
  return {
    x86_64: size(x86.zippedBytes, x86.unzippedBytes),
    arm64: size(arm.zippedBytes, arm.unzippedBytes),
    baseline: size(fs.statSync(baseline.zipFile).size, baseline.unzippedBytes),
    loadMs: loadMs.map((ms) => round(ms, 1)),
    baselineLoadMs: baselineLoadMs.map((ms) => round(ms, 1)),
    medianLoadMs: round(median(loadMs), 1),
    medianBaselineLoadMs: round(median(baselineLoadMs), 1),
    loadRatio: round(median(loadMs) / median(baselineLoadMs), 3),
    loadArch,
  };
}

/**
 * Lambda functions for the serverless sections: a package built for a deployment of its own (so sections do not
 * share a Worker Deployment Version), deployed to the local Lambda service with the AWS SDK, as deploy:lambda does.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_RECOMMENDED_TIMEOUT_S } from '../../config/settings';
import { hostArchitecture } from '../../config/lambda-architecture';
import { deployLambda } from '../deployment/lambda-deployment';
import { buildLambdaPackage } from '../deployment/lambda-package';
import { registerLambda } from '../deployment/lambda-registration';
import { localLambdaTarget } from '../lambda-local/local-aws-clients';
import {
  localTemporalEnvironment,
  startLocalWorkerProcess,
  type LocalWorkerProcess,
} from '../devstack/local-worker-process';
import type { BenchStack } from './bench-stack';
import { benchName } from './versioned-worker';

export const BENCH_BUILD_ID = 'bench-1';
/** The bench's functions get the size deploy:lambda --create gives (the memory section tries others). */
export const BENCH_MEMORY_MB = LAMBDA_DEFAULT_MEMORY_MB;

export async function buildForDeployment(
  stack: BenchStack,
  deploymentName: string,
  entry?: string,
  /** memoryMb: the function memory the compile cache is made for (Lambda's V8 flags depend on it). */
  options: { compileCache?: boolean; memoryMb?: number } = {},
): Promise<string> {
  const memoryMb = options.memoryMb ?? BENCH_MEMORY_MB;
  const variant = `${options.compileCache === false ? '-no-cache' : ''}${memoryMb === BENCH_MEMORY_MB ? '' : `-${memoryMb}mb`}`;
  const built = await buildLambdaPackage({
    arch: hostArchitecture(process.arch),
    includeCerts: false,
    outFile: path.join(stack.workDir, `${deploymentName}${variant}.zip`),
    compileCache: options.compileCache,
    compileCacheMemoryMb: memoryMb,
    runtime: stack.lambdaRuntime,
    env: { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: deploymentName, SHOPFLOW_BUILD_ID: BENCH_BUILD_ID },
    entry,
  });
  return built.outFile;
}

export async function deployBenchFunction(
  stack: BenchStack,
  options: {
    functionName: string;
    zipFile: string;
    environment: Record<string, string>;
    timeoutSeconds?: number;
    /** Default BENCH_MEMORY_MB; the memory section tries several. */
    memoryMb?: number;
  },
): Promise<string> {
  const deployed = await deployLambda({
    client: stack.lambdaClient,
    functionName: options.functionName,
    zipFile: options.zipFile,
    publish: false,
    log: () => {},
    create: {
      roleArn: 'arn:aws:iam::000000000000:role/shopflow-bench',
      architecture: hostArchitecture(process.arch),
      timeoutSeconds: options.timeoutSeconds ?? LAMBDA_RECOMMENDED_TIMEOUT_S,
      memoryMb: options.memoryMb ?? BENCH_MEMORY_MB,
      runtime: stack.lambdaRuntime,
      environment: {
        TEMPORAL_ADDRESS: stack.address,
        TEMPORAL_NAMESPACE: 'default',
        ...stack.functionEnvironment,
        ...options.environment,
      },
    },
  });
  return deployed.FunctionArn!;
}

/** Invocations of the function running right now, or queued (asynchronous events waiting for capacity). */
export function busyEnvironments(stack: BenchStack, functionName: string): number {
  const running = stack.lambda.service
    .environmentsOf(functionName)
    .filter((e) => e.state === 'busy' || e.state === 'starting').length;
  return running + stack.lambda.service.queued(functionName);
}

export async function waitUntilNoInvocationRuns(
  stack: BenchStack,
  functionNames: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = functionNames.filter((name) => busyEnvironments(stack, name) > 0);
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${busy.join(', ')} still running after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Registers the function as the deployment's current version, then lets the registration's invocation idle out. */
export async function registerBenchFunction(
  stack: BenchStack,
  deploymentName: string,
  functionArn: string,
  scaler: { scaleUpCooloffMs?: number | null } = {},
): Promise<void> {
  await registerLambda({
    scaleUpCooloffMs: scaler.scaleUpCooloffMs,
    connection: stack.native,
    namespace: 'default',
    version: { deploymentName, buildId: BENCH_BUILD_ID },
    target: localLambdaTarget(functionArn),
    identity: 'bench',
    makeCurrent: true,
    allowLatest: true,
  });
  await sleep(1_000);
  await waitUntilNoInvocationRuns(stack, [deploymentName], 60_000);
}

/** Realistic simulated latency (about 2 s of service calls per order): a real order waits on its services. */
export const REALISTIC_LATENCY_SCALE = 1;

/**
 * A function of `memoryMb` for measuring what orders cost: built, deployed with realistic latency and its own
 * journal, registered, and its registration's invocation idled out. Returns its deployment (and function) name.
 */
export async function deployCostFunction(stack: BenchStack, prefix: string, memoryMb: number): Promise<string> {
  const deploymentName = benchName(`${prefix}${memoryMb}`);
  const zipFile = await buildForDeployment(stack, deploymentName, undefined, { memoryMb });
  const functionArn = await deployBenchFunction(stack, {
    functionName: deploymentName,
    zipFile,
    memoryMb,
    environment: {
      TEMPORAL_TASK_QUEUE: deploymentName,
      SHOPFLOW_LATENCY_SCALE: String(REALISTIC_LATENCY_SCALE),
      SHOPFLOW_JOURNAL: path.join(stack.workDir, `${deploymentName}.journal.jsonl`),
    },
  });
  await registerBenchFunction(stack, deploymentName, functionArn);
  return deploymentName;
}

/** A local worker (`worker/main.ts`, a real process) of the deployment's version; resolves once it polls. */
export async function startBenchWorker(
  stack: BenchStack,
  deploymentName: string,
  environment: Record<string, string>,
  lines: string[] = [],
): Promise<LocalWorkerProcess> {
  const worker = startLocalWorkerProcess({
    env: localTemporalEnvironment(stack.address, 'default', {
      SHOPFLOW_DEPLOYMENT_NAME: deploymentName,
      SHOPFLOW_BUILD_ID: BENCH_BUILD_ID,
      ...environment,
    }),
    onLine: (line) => lines.push(line),
    stage: stack.stage,
    startTimeoutMs: 60_000,
  });
  await worker.ready;
  return worker;
}

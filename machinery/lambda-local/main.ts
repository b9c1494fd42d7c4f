/** `npm run lambda-local`: the local Lambda service on 127.0.0.1, until Ctrl+C. */

import path from 'node:path';
import { UsageError, parseCommandLine, runEntryPoint } from '../../client/command-line';
import { DATA_DIR } from '../plumbing/project-paths';
import { startLocalLambda } from './local-lambda';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import type { ThrottleBackoff } from './throttle-backoff';

const USAGE = `Usage: npm run lambda-local -- [--port N] [--state-dir DIR] [--concurrency N] [--idle-ttl SECONDS] [--runtime auto|aws|builtin]
                                [--no-cpu-share] [--no-memory-limit] [--no-sandbox] [--duplicate-events SHARE]
                                [--throttle-backoff FIRST,MAX]

Serves the AWS Lambda API (functions, invocations, code updates) and CloudWatch GetMetricData on 127.0.0.1,
running each function's zip in separate Node processes the way Lambda runs them.
  --port N            default ${LOCAL_LAMBDA_DEFAULTS.port}
  --state-dir DIR     deployed functions, code and logs (default data/lambda-local)
  --concurrency N     the account concurrency limit (default ${LOCAL_LAMBDA_DEFAULTS.accountConcurrency})
  --idle-ttl SECONDS  reap warm environments idle this long (default ${LOCAL_LAMBDA_DEFAULTS.idleEnvironmentTtlMs / 1000})
  --runtime           aws: AWS's aws-lambda-ric; builtin: the bundled client; auto (default): aws if installed
  --no-cpu-share      let every environment use the whole host CPU; by default each gets what Lambda gives
                      its memory size (1 vCPU per ${LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu} MB) through a cgroup, where the host
                      allows it (root; cgroup v1 or v2). Also SHOPFLOW_LAMBDA_CPU_SHARE=off
  --no-memory-limit   let every environment use as much memory as the host gives it; by default each is held to
                      its function's memory size, without swap, through a cgroup where the host allows it (root;
                      cgroup v1 or v2): more, and it is killed (Runtime.OutOfMemory). Also SHOPFLOW_LAMBDA_MEMORY_LIMIT=off
  --no-sandbox        let environments write beside their code and share the host's /tmp; by default each runs in
                      a mount namespace of its own where its code is read-only (EROFS) and a tmpfs of its
                      EphemeralStorage.Size is its /tmp, where the host allows it (Linux, root, util-linux's
                      unshare). Also SHOPFLOW_LAMBDA_SANDBOX=off
  --duplicate-events SHARE
                      a fault switch: deliver this share (0..1) of asynchronous events a second time, with its
                      own request id, as Lambda's queue may (default 0). Also SHOPFLOW_LAMBDA_DUPLICATE_EVENTS
  --throttle-backoff FIRST,MAX
                      seconds: an asynchronous event throttled at the concurrency limit is tried again after
                      FIRST, doubling to at most MAX (default Lambda's ${LOCAL_LAMBDA_DEFAULTS.asyncThrottleBackoff.firstMs / 1000},${LOCAL_LAMBDA_DEFAULTS.asyncThrottleBackoff.maxMs / 1000}); shorter ones are said at start.
                      Also SHOPFLOW_LAMBDA_THROTTLE_BACKOFF`;

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`${flag} must be a whole number (got "${value}")`);
  }
  return n;
}

function share(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} must be a share from 0 to 1 (got "${value}")`);
  return n;
}

/** "0.1,2" (seconds) -> { firstMs: 100, maxMs: 2000 }. */
function throttleBackoff(value: string | undefined, flag: string): ThrottleBackoff | undefined {
  if (value === undefined || value === '') return undefined;
  const [first, max, ...rest] = value.split(',').map((part) => Number(part.trim()));
  if (rest.length > 0 || !Number.isFinite(first) || !Number.isFinite(max) || first <= 0 || max < first) {
    throw new UsageError(
      `${flag} must be FIRST,MAX in seconds, with 0 < FIRST <= MAX (got "${value}"); e.g. 0.1,2, or Lambda's 1,300`,
    );
  }
  return { firstMs: first * 1000, maxMs: max * 1000 };
}

async function main(): Promise<void> {
  const values = parseCommandLine({
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    concurrency: { type: 'string' },
    'idle-ttl': { type: 'string' },
    runtime: { type: 'string' },
    'no-cpu-share': { type: 'boolean' },
    'no-memory-limit': { type: 'boolean' },
    'no-sandbox': { type: 'boolean' },
    'duplicate-events': { type: 'string' },
    'throttle-backoff': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return console.log(USAGE);
  const runtime = values.runtime ?? 'auto';
  if (!['auto', 'aws', 'builtin'].includes(runtime)) {
    throw new UsageError(`--runtime must be auto, aws or builtin (got "${runtime}")`);
  }
  const stateDir = path.resolve(values['state-dir'] ?? path.join(DATA_DIR, 'lambda-local'));
  const local = await startLocalLambda({
    stateDir,
    port: wholeNumber(values.port, '--port', LOCAL_LAMBDA_DEFAULTS.port),
    accountConcurrency: wholeNumber(values.concurrency, '--concurrency', LOCAL_LAMBDA_DEFAULTS.accountConcurrency),
    idleEnvironmentTtlMs:
      wholeNumber(values['idle-ttl'], '--idle-ttl', LOCAL_LAMBDA_DEFAULTS.idleEnvironmentTtlMs / 1000) * 1000,
    runtime: runtime as 'auto' | 'aws' | 'builtin',
    cpuShare: values['no-cpu-share'] ? false : undefined,
    memoryLimit: values['no-memory-limit'] ? false : undefined,
    sandbox: values['no-sandbox'] ? false : undefined,
    duplicateEvents:
      share(values['duplicate-events'], '--duplicate-events') ??
      share(process.env.SHOPFLOW_LAMBDA_DUPLICATE_EVENTS, 'SHOPFLOW_LAMBDA_DUPLICATE_EVENTS'),
    asyncThrottleBackoff:
      throttleBackoff(values['throttle-backoff'], '--throttle-backoff') ??
      throttleBackoff(process.env.SHOPFLOW_LAMBDA_THROTTLE_BACKOFF, 'SHOPFLOW_LAMBDA_THROTTLE_BACKOFF'),
    narrate: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
  });
  const perVcpu = LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu;
  const cpu = local.cpuShares.applies
    ? `CPU share per environment: 1 vCPU per ${perVcpu} MB (cgroup ${local.cpuShares.version})`
    : 'no CPU share';
  const memory = local.memoryLimits.applies
    ? `memory limit per environment: its memory size (cgroup ${local.memoryLimits.version})`
    : 'no memory limit';
  const sandbox = local.sandbox.applies ? 'read-only code, a private /tmp per environment' : 'no sandbox';
  console.log(
    `Local Lambda service at ${local.endpoint} (runtime: ${local.runtimeName}; ${cpu}; ${memory}; ${sandbox}); state in ${stateDir}`,
  );
  console.log(
    `Point AWS clients at it with AWS_ENDPOINT_URL=${local.endpoint}. Ctrl+C stops it and every environment.`,
  );
  const stop = () => void local.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

runEntryPoint('lambda-local', USAGE, main);

/** Wires the local Lambda service together; used by `npm run lambda-local`, the demo and the tests. */

import path from 'node:path';
import { checkHostSupported, currentHost, type HostPlatform } from '../lambda-entry/host-platform';
import { CpuShares, cpuShareWanted, type CpuShareOptions } from './cpu-share';
import { FunctionRegistry } from './function-registry';
import { LocalLambdaHttpApi } from './http-api';
import { LocalAccess } from './local-access';
import { localAccountKeys, type LocalAccountKeys } from './local-account';
import { localRolesOf, readIamTemplate } from './local-roles';
import { DEFAULT_SERVICE_OPTIONS, LambdaService, type ServiceOptions } from './lambda-service';
import { MemoryLimits, memoryLimitWanted, type MemoryLimitOptions } from './memory-limit';
import { MetricsRecorder } from './metrics';
import { MountSandboxes, sandboxWanted, type SandboxHost } from './mount-sandbox';
import { overlayHostNativeCore } from './native-core-overlay';
import { chooseRuntime } from './runtime-command';
import { runtimeNodeChooser } from './runtime-node-choice';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import { checkThrottleBackoff, describeThrottleBackoff } from './throttle-backoff';

export interface LocalLambdaOptions extends Partial<
  Omit<ServiceOptions, 'runtime' | 'logDir' | 'cpuShares' | 'memoryLimits' | 'sandbox'>
> {
  stateDir: string;
  port?: number;
  runtime?: 'auto' | 'aws' | 'builtin';
  /** The machine the environments run on; tests pose as a Mac here. Default: this one. */
  host?: HostPlatform;
  /**
   * Run each function on its runtime's own Node (npm node-linux-*, installed on first use) instead of the host's.
   * Unless `runtime` says otherwise, the built-in client then runs it: aws-lambda-ric is built for the host's Node.
   */
  runtimeNode?: boolean;
  /** Where the one-time notes go (installing a runtime's Node, or falling back to the host's, no CPU share). */
  log?: (line: string) => void;
  /**
   * Give each environment the CPU Lambda gives its memory size (default: on, unless SHOPFLOW_LAMBDA_CPU_SHARE=off).
   * Tests pass where the cgroup filesystem is (`root`) or a fake of it.
   */
  cpuShare?: boolean;
  cpuShareHost?: Omit<CpuShareOptions, 'log'>;
  /**
   * Hold each environment to the function's memory size (default: on, unless SHOPFLOW_LAMBDA_MEMORY_LIMIT=off).
   * Tests pass where the cgroup filesystem is (`root`) or a fake of it.
   */
  memoryLimit?: boolean;
  memoryLimitHost?: Omit<MemoryLimitOptions, 'log'>;
  /**
   * Give each environment read-only code and a private /tmp (default: on, unless SHOPFLOW_LAMBDA_SANDBOX=off).
   * Tests pass a fake host to see what is said where it cannot.
   */
  sandbox?: boolean;
  sandboxHost?: SandboxHost;
  /**
   * Host folders every environment reads and writes as the host does, even where the private /tmp would hide them
   * (a checkout under /tmp): the local stand-ins for what a function reaches over the network on AWS, such as the
   * run's file journal. Nothing else of the host's /tmp is shared.
   */
  sharedDirs?: string[];
  /**
   * The CloudFormation template whose roles the account holds, per function (default: infra/iam-roles.json). Tests
   * give a changed copy (or one per function) to see a trust policy without the external id, or a role without
   * lambda:InvokeFunction.
   */
  iamTemplate?: unknown | ((functionName: string) => unknown);
  /** The account's keys (default: data/local-aws/keys.json, made on first use). */
  accountKeys?: LocalAccountKeys;
  /** How long a new function stays Pending and an update InProgress (default: settings.ts stateTransitionMs). */
  stateTransitionMs?: number;
}

export interface LocalLambda {
  endpoint: string;
  port: number;
  runtimeName: string;
  /** Which Node each runtime's environments ran (e.g. nodejs22.x -> v22.23.5), as far as any was started. */
  nodeVersions: Map<string, string>;
  registry: FunctionRegistry;
  service: LambdaService;
  metrics: MetricsRecorder;
  /** Whether environments get Lambda's CPU share, and if not, why. */
  cpuShares: CpuShares;
  /** Whether environments are held to their memory size, and if not, why. */
  memoryLimits: MemoryLimits;
  /** Whether environments get read-only code and a private /tmp, and if not, why. */
  sandbox: MountSandboxes;
  close(): Promise<void>;
}

export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const host = options.host ?? currentHost();
  checkHostSupported(host);
  // Before anything is started: a back-off the service could not keep is refused with its fix.
  if (options.asyncThrottleBackoff) checkThrottleBackoff(options.asyncThrottleBackoff, 'asyncThrottleBackoff');
  const region = options.region ?? LOCAL_LAMBDA_DEFAULTS.region;
  const narrate = options.narrate ?? (() => {});
  const registry = functionRegistryFor(options, host, region, narrate);
  const metrics = new MetricsRecorder();
  const runtime = chooseRuntime(options.runtime ?? (options.runtimeNode ? 'builtin' : 'auto'), host);
  const nodeVersions = new Map<string, string>();
  const log = options.log ?? console.log;
  const { cpuShares, memoryLimits, sandbox } = environmentLimitsFor(options, log);
  // Anything that departs from Lambda's numbers is said once, at start.
  for (const note of departuresFromLambda(options)) log(note);
  const access = localAccessFor(options, registry);
  const service = new LambdaService(registry, metrics, {
    ...DEFAULT_SERVICE_OPTIONS,
    ...options,
    narrate,
    region,
    runtime,
    nodeFor: options.runtimeNode ? runtimeNodeChooser(runtime, nodeVersions, log) : undefined,
    logDir: path.join(options.stateDir, 'logs'),
    cpuShares,
    memoryLimits,
    sandbox,
    // As Lambda does: each environment gets the region and a session of the function's execution role.
    executionCredentials: (record) => access.executionRoleSession(record.Role, record.FunctionName),
  });
  const api = new LocalLambdaHttpApi(registry, service, metrics, access);
  const endpoint = await listenOrShutDown(api, service, options.port ?? LOCAL_LAMBDA_DEFAULTS.port);
  return {
    endpoint,
    port: api.address().port,
    runtimeName: runtime.name,
    nodeVersions,
    registry,
    service,
    metrics,
    cpuShares,
    memoryLimits,
    sandbox,
    close: async () => {
      await service.shutdown();
      await api.close();
    },
  };
}

/**
 * The functions' registry. On a Mac, each deployed package gets the Mac's native Temporal core next to its Linux one
 * (and says so).
 */
function functionRegistryFor(
  options: LocalLambdaOptions,
  host: HostPlatform,
  region: string,
  narrate: (line: string) => void,
): FunctionRegistry {
  return new FunctionRegistry(
    options.stateDir,
    region,
    undefined,
    (codeDir, functionName) => {
      const said = overlayHostNativeCore(codeDir, host);
      if (said) narrate(`${functionName}: ${said}`);
    },
    options.stateTransitionMs,
  );
}

/** What holds each environment to Lambda's: its CPU share, its memory size, read-only code and a private /tmp. */
function environmentLimitsFor(options: LocalLambdaOptions, log: (line: string) => void) {
  const cpuShares = new CpuShares(cpuShareWanted(options.cpuShare), { ...options.cpuShareHost, log });
  const memoryLimits = new MemoryLimits(memoryLimitWanted(options.memoryLimit), { ...options.memoryLimitHost, log });
  const sandbox = new MountSandboxes(sandboxWanted(options.sandbox), {
    host: options.sandboxHost,
    log,
    shared: options.sharedDirs,
  });
  return { cpuShares, memoryLimits, sandbox };
}

/** The account's keys and the roles of the IAM template, which decide who may call what. */
function localAccessFor(options: LocalLambdaOptions, registry: FunctionRegistry): LocalAccess {
  const keys = options.accountKeys ?? localAccountKeys();
  const given = options.iamTemplate ?? readIamTemplate();
  const templateOf = (functionName: string) => (typeof given === 'function' ? given(functionName) : given);
  // A role exists while its function does, as if the template were deployed beside each function.
  const roleNamed = (roleArn: string) =>
    registry
      .list()
      .filter((record) => roleArn.includes(`/${record.FunctionName}-`))
      .flatMap((record) => localRolesOf(record.FunctionName, templateOf(record.FunctionName), keys.externalId))
      .find((role) => role.arn === roleArn);
  return new LocalAccess(keys, roleNamed);
}

/** The HTTP API's endpoint; if its port cannot be had, nothing is left running. */
async function listenOrShutDown(api: LocalLambdaHttpApi, service: LambdaService, port: number): Promise<string> {
  try {
    return await api.listen(port);
  } catch (err) {
    await service.shutdown(); // removes the CPU share's and the memory limit's groups too
    throw err;
  }
}

/** The one-time notes for options that make this service behave otherwise than Lambda does (shorter waits, faults). */
export function departuresFromLambda(
  options: Pick<LocalLambdaOptions, 'asyncRetryDelaysMs' | 'asyncThrottleBackoff' | 'duplicateEvents' | 'maxInitMs'>,
): string[] {
  const notes: string[] = [];
  const delays = options.asyncRetryDelaysMs;
  const lambdas = LOCAL_LAMBDA_DEFAULTS.asyncRetryDelaysMs;
  if (delays && (delays.length !== lambdas.length || delays.some((ms, i) => ms !== lambdas[i]))) {
    const seconds = delays.map((ms) => `${ms / 1000} s`);
    const after = seconds.length === 0 ? 'none' : `after ${seconds.join(' and ')}`;
    notes.push(`Local Lambda: asynchronous retries ${after} (AWS: about 1 and 2 minutes)`);
  }
  const backoff = options.asyncThrottleBackoff;
  const lambdasBackoff = LOCAL_LAMBDA_DEFAULTS.asyncThrottleBackoff;
  if (backoff && (backoff.firstMs !== lambdasBackoff.firstMs || backoff.maxMs !== lambdasBackoff.maxMs)) {
    notes.push(
      `Local Lambda: a throttled asynchronous event is tried again after ${describeThrottleBackoff(backoff)} ` +
        `(AWS: ${describeThrottleBackoff(lambdasBackoff)})`,
    );
  }
  if (options.duplicateEvents) {
    notes.push(
      `Local Lambda: ${Math.round(options.duplicateEvents * 100)}% of asynchronous events are delivered twice ` +
        `(AWS: a function may "receive the same event from Lambda multiple times")`,
    );
  }
  if (options.maxInitMs !== undefined && options.maxInitMs !== LOCAL_LAMBDA_DEFAULTS.maxInitMs) {
    notes.push(`Local Lambda: the Init phase is limited to ${options.maxInitMs / 1000} s (AWS: 10 seconds)`);
  }
  return notes;
}

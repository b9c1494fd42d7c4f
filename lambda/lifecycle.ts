/**
 * The Lambda worker's per-invocation lifecycle. It keeps the semantics of @temporalio/lambda-worker's `runWorker`
 * (its Lambda-tuned defaults, identity `<requestId>@<functionArn>`, worker versioning with PINNED by default,
 * TEMPORAL_TASK_QUEUE, shutdown hooks that run even on failure, the connection always closed) and changes three
 * things:
 * - idle exit: the worker stops once nothing has been in flight for `idleExitMs`, instead of polling until the
 *   deadline and being billed for it; Temporal's worker controller invokes the function again for the next task.
 *   An invocation that gets no task at all stops after the shorter `firstTaskGraceMs`, and one whose workflow
 *   cache has emptied (no task can come back on the sticky queue) after the shorter `emptyCacheExitMs`;
 * - the remaining time is measured after connecting, so a slow cold connect cannot eat the shutdown buffer;
 * - eager activity execution is off, as in the Go and Python Lambda workers.
 * Every dependency with an effect is injected, so the lifecycle is tested with fakes and a fake Lambda context.
 */

import type { Context } from 'aws-lambda';
import type { Logger, WorkerDeploymentVersion } from '@temporalio/common';
import type { ClientConnectConfig } from '@temporalio/envconfig';
import type { LambdaWorkerConfig } from '@temporalio/lambda-worker';
import {
  DEFAULT_SHUTDOWN_DEADLINE_BUFFER_MS,
  LAMBDA_WORKER_DEFAULTS,
  MINIMUM_WORK_TIME_MS,
  WARN_WORK_TIME_MS,
} from '@temporalio/lambda-worker/lib/defaults';
import type { NativeConnectionOptions, RuntimeOptions, WorkerOptions } from '@temporalio/worker';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IdleStopReason } from './exit-rule';
import { IdleMonitor, type InFlightSource } from './idle-monitor';

export interface Invocation {
  identity: string;
  requestId: string;
}

export interface ShopFlowLambdaConfig extends LambdaWorkerConfig {
  /** Stop after this long with nothing in flight; 0 = poll until the deadline like the official lifecycle. */
  idleExitMs: number;
  /** With idle exit on: stop after this long if no task has come at all (0 = wait `idleExitMs` as after work). */
  firstTaskGraceMs: number;
  /**
   * With idle exit on: after a task, stop after this long once the workflow cache is empty and no workflow may owe
   * this worker a sticky task (IdleMonitor.taskOwed); never longer than `idleExitMs`. 0 = wait `idleExitMs`.
   */
  emptyCacheExitMs: number;
  /**
   * The worker controller's scale-up cool-off (register:lambda sets it): for this long after invoking us it invokes
   * no other environment for new tasks, counting on us to take them. So an invocation keeps polling at least this
   * long from its start, whether it has had a task or not (every idle exit rule waits for it), or a task arriving
   * late in the cool-off would wait for the controller's next backlog check (up to a minute). 0: no such floor.
   */
  scaleUpCooloffMs: number;
  /** Run at the start of every invocation, before connecting (for example to tag logs with the request). */
  invocationHooks: ((invocation: Invocation, context: Context) => void)[];
  /**
   * The identity of the invocation running now (`<requestId>@<functionArn>`), for code created once per environment
   * that must name the invocation it works for, such as the activities' receipts. Set by the lifecycle.
   */
  invocationIdentity: () => string;
}

export interface RunnableWorker extends InFlightSource {
  runUntil(stop: Promise<void>): Promise<void>;
}

export interface LifecycleDependencies {
  connect(options: NativeConnectionOptions): Promise<{ close(): Promise<void> }>;
  createWorker(options: WorkerOptions): Promise<RunnableWorker>;
  loadConnectConfig(): ClientConnectConfig;
  installRuntime(options: RuntimeOptions): void;
  /** Reads the Temporal API key from the secret store; read once per execution environment, again after a failure. */
  readApiKey?: () => Promise<string>;
  getLogger(): Logger;
}

export type StopReason = IdleStopReason | 'deadline';

/** The handler's response: what the invocation did, so that an invocation that ran no task can be counted. */
export interface InvocationSummary {
  identity: string;
  stopReason: StopReason;
  workTimeMs: number;
  activitiesStarted: number;
  workflowActivations: number;
  /** From the worker's start to its first task; absent when no task came. */
  firstTaskAfterMs?: number;
  /** When the handler was called (epoch ms): the cold-start breakdown lines the summary up with the Invoke. */
  startedAt: number;
  /** When the first task started (epoch ms); absent when no task came. */
  firstTaskAt?: number;
  connectMs: number;
  /** Creating the worker (Worker.create: the workflow bundle, the workflow thread, the native worker). */
  workerCreateMs: number;
  /** From the handler's start to the worker polling: connecting and creating the worker. */
  startupMs: number;
  /** From the worker's start until it had stopped (polling, running tasks, draining). */
  pollingMs: number;
}

export type ShopFlowLambdaHandler = (event: unknown, context: Context) => Promise<InvocationSummary>;

/** The work time left, or an error when it is too short to start a worker at all (same limits as runWorker). */
function workTime(remainingMs: number, bufferMs: number, logger: Logger, when: string): number {
  const workTimeMs = remainingMs - bufferMs;
  if (workTimeMs <= MINIMUM_WORK_TIME_MS) {
    throw new Error(
      `Insufficient time for Lambda worker ${when}: ${remainingMs}ms remaining, ${bufferMs}ms shutdown buffer, ` +
        `only ${workTimeMs}ms work time (minimum: ${MINIMUM_WORK_TIME_MS}ms). Raise the function timeout.`,
    );
  }
  if (workTimeMs < WARN_WORK_TIME_MS) {
    logger.warn('Low work time available for Lambda worker', {
      remainingMs,
      shutdownDeadlineBufferMs: bufferMs,
      workTimeMs,
      when,
    });
  }
  return workTimeMs;
}

/** The lambda-worker package's defaults, with eager activities off and nothing of ShopFlow's switched on yet. */
function defaultConfig(): ShopFlowLambdaConfig {
  return {
    workerOptions: {
      ...LAMBDA_WORKER_DEFAULTS,
      maxEagerActivityReservationsPerWorkflowTask: 0,
      workerDeploymentOptions: { defaultVersioningBehavior: 'PINNED' },
    },
    runtimeOptions: { shutdownSignals: [] },
    shutdownHooks: [],
    invocationHooks: [],
    invocationIdentity: () => 'lambda (between invocations)',
    idleExitMs: 0,
    firstTaskGraceMs: 0,
    emptyCacheExitMs: 0,
    scaleUpCooloffMs: 0,
  };
}

/** The key from the secret store, read at the environment's first invocation and again after a failed read. */
function apiKeyOnce(deps: LifecycleDependencies) {
  let apiKey: Promise<string> | undefined;
  return async (options: NativeConnectionOptions): Promise<NativeConnectionOptions> => {
    if (!deps.readApiKey) return options;
    apiKey ??= deps.readApiKey().catch((err: unknown) => {
      apiKey = undefined;
      throw err;
    });
    // An API key implies TLS.
    return { ...options, apiKey: await apiKey, tls: options.tls ?? true };
  };
}

/** What to stop on: the deadline always; with idle exit on, the first idle moment the exit rule allows. */
function stopConditions(
  config: ShopFlowLambdaConfig,
  idle: IdleMonitor,
  worker: RunnableWorker,
  workTimeMs: number,
  handlerStarted: number,
) {
  const stopDeadlineTimer = new AbortController();
  const deadline = sleep(workTimeMs, 'deadline' as const, { signal: stopDeadlineTimer.signal }).catch(
    () => 'deadline' as const,
  );
  const stops: Promise<StopReason>[] = [deadline];
  let cancelIdleWatch = () => {};
  if (config.idleExitMs > 0) {
    const watch = idle.whenIdle(worker, config.idleExitMs, {
      firstTaskGraceMs: config.firstTaskGraceMs,
      emptyCacheMs: config.emptyCacheExitMs,
      exitNotBefore: handlerStarted + config.scaleUpCooloffMs,
    });
    cancelIdleWatch = watch.cancel;
    stops.push(watch.promise);
  }
  return {
    firstStop: Promise.race(stops),
    cancel: () => {
      cancelIdleWatch();
      stopDeadlineTimer.abort();
    },
  };
}

/** Shutdown hooks, then the connection: each failure is logged and never hides the invocation's own outcome. */
async function cleanUp(
  config: ShopFlowLambdaConfig,
  connection: { close(): Promise<void> } | undefined,
  logger: Logger,
) {
  for (const hook of config.shutdownHooks) {
    try {
      await hook();
    } catch (err) {
      logger.error('Lambda worker shutdown hook failed', { error: err });
    }
  }
  try {
    await connection?.close();
  } catch (err) {
    logger.error('Failed to close Temporal connection', { error: err });
  }
}

/** The config after the defaults, the environment's task queue and connection profile, and `configure`. */
function configured(
  configure: (config: ShopFlowLambdaConfig) => void,
  deps: LifecycleDependencies,
  identityOfNow: () => string,
): ShopFlowLambdaConfig & { workerOptions: { taskQueue: string } } {
  const config = defaultConfig();
  config.invocationIdentity = identityOfNow;
  const envTaskQueue = process.env.TEMPORAL_TASK_QUEUE;
  if (envTaskQueue) config.workerOptions.taskQueue = envTaskQueue;
  const connectConfig = deps.loadConnectConfig();
  config.connectionOptions = { ...connectConfig.connectionOptions };
  config.namespace = connectConfig.namespace || 'default';
  configure(config);
  if (!config.workerOptions.taskQueue) {
    throw new Error(
      'taskQueue is required: set config.workerOptions.taskQueue in the configure callback or set the TEMPORAL_TASK_QUEUE environment variable',
    );
  }
  return config as ShopFlowLambdaConfig & { workerOptions: { taskQueue: string } };
}

/** Everything an invocation needs that is made once per execution environment. */
interface Environment {
  version: WorkerDeploymentVersion;
  config: ShopFlowLambdaConfig & { workerOptions: { taskQueue: string } };
  deps: LifecycleDependencies;
  withApiKey: (options: NativeConnectionOptions) => Promise<NativeConnectionOptions>;
  bufferMs: number;
}

export function createLambdaWorkerHandler(
  version: WorkerDeploymentVersion,
  configure: (config: ShopFlowLambdaConfig) => void,
  deps: LifecycleDependencies,
): ShopFlowLambdaHandler {
  let currentIdentity = 'lambda (between invocations)';
  const config = configured(configure, deps, () => currentIdentity);
  deps.installRuntime(config.runtimeOptions);
  const environment: Environment = {
    version,
    config,
    deps,
    withApiKey: apiKeyOnce(deps),
    bufferMs: config.shutdownDeadlineBufferMs ?? DEFAULT_SHUTDOWN_DEADLINE_BUFFER_MS,
  };
  return async (_event, context) => {
    const invocation: Invocation = {
      identity: `${context.awsRequestId}@${context.invokedFunctionArn}`,
      requestId: context.awsRequestId,
    };
    currentIdentity = invocation.identity;
    return runInvocation(environment, invocation, context);
  };
}

/** One invocation: connect, run a worker until a stop condition, then always clean up. */
async function runInvocation(
  { version, config, deps, withApiKey, bufferMs }: Environment,
  invocation: Invocation,
  context: Context,
): Promise<InvocationSummary> {
  const handlerStarted = Date.now();
  for (const hook of config.invocationHooks) hook(invocation, context);
  const logger = deps.getLogger();
  // Checked before connecting too: a hopeless invocation must not even open a connection.
  workTime(context.getRemainingTimeInMillis(), bufferMs, logger, 'before connecting');

  let connection: { close(): Promise<void> } | undefined;
  let cancelStops = () => {};
  let stopActivationWatch = () => {};
  try {
    const connectionOptions = await withApiKey(config.connectionOptions ?? {});
    const connectStarted = Date.now();
    connection = await deps.connect(connectionOptions);
    const connectMs = Date.now() - connectStarted;
    const workTimeMs = workTime(context.getRemainingTimeInMillis(), bufferMs, logger, 'after connecting');

    const idle = new IdleMonitor();
    const createStarted = Date.now();
    const worker = await deps.createWorker(
      workerOptionsFor(config, { version, connection, identity: invocation.identity, idle }),
    );
    const workerCreateMs = Date.now() - createStarted;
    stopActivationWatch = idle.watchWorkflowActivations(worker);
    const startupMs = Date.now() - handlerStarted;
    const stops = stopConditions(config, idle, worker, workTimeMs, handlerStarted);
    cancelStops = stops.cancel;
    const pollingStarted = Date.now();
    const stopReason = await runUntilFirstStop(worker, stops.firstStop, idle, logger);
    return {
      identity: invocation.identity,
      stopReason,
      workTimeMs,
      activitiesStarted: idle.activitiesStarted,
      workflowActivations: idle.workflowActivations,
      firstTaskAfterMs: idle.firstTaskAfterMs,
      startedAt: handlerStarted,
      firstTaskAt: idle.firstTaskAt,
      connectMs,
      workerCreateMs,
      startupMs,
      pollingMs: Date.now() - pollingStarted,
    };
  } finally {
    cancelStops();
    stopActivationWatch();
    await cleanUp(config, connection, logger);
  }
}

/** Polls until the first stop condition, says why it stops, and returns that reason once the worker has drained. */
async function runUntilFirstStop(
  worker: RunnableWorker,
  firstStop: Promise<StopReason>,
  idle: IdleMonitor,
  logger: Logger,
): Promise<StopReason> {
  let stopReason: StopReason = 'deadline';
  await worker.runUntil(
    firstStop.then((reason) => {
      stopReason = reason;
      logger.info('Lambda worker stopping', {
        reason,
        activitiesStarted: idle.activitiesStarted,
        workflowActivations: idle.workflowActivations,
      });
    }),
  );
  return stopReason;
}

/** The invocation's worker: the configured options, with its identity, versioning and the idle monitor's interceptor. */
function workerOptionsFor(
  config: ShopFlowLambdaConfig & { workerOptions: { taskQueue: string } },
  invocation: {
    version: WorkerDeploymentVersion;
    connection: unknown;
    identity: string;
    idle: IdleMonitor;
  },
): WorkerOptions {
  const { interceptors } = config.workerOptions;
  return {
    ...config.workerOptions,
    taskQueue: config.workerOptions.taskQueue,
    connection: invocation.connection as WorkerOptions['connection'],
    namespace: config.namespace,
    identity: invocation.identity,
    interceptors: {
      ...interceptors,
      activity: [...(interceptors?.activity ?? []), invocation.idle.activityInterceptor()],
    },
    workerDeploymentOptions: {
      version: invocation.version,
      useWorkerVersioning: true,
      defaultVersioningBehavior: config.workerOptions.workerDeploymentOptions?.defaultVersioningBehavior ?? 'PINNED',
    },
  };
}

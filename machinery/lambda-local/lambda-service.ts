/**
 * Runs invocations the way Lambda does: a pool of execution environments per function, reused warm, started cold
 * when none is free, up to the function's concurrency (reserved concurrency, else the account's). Synchronous
 * invocations beyond it are throttled; asynchronous events wait in a queue, a throttled one is tried again after a
 * growing back-off, and failed ones are retried twice.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { throttled } from './aws-errors';
import type { CpuShares } from './cpu-share';
import { ExecutionEnvironment, type ExecutionCredentials, type InvocationOutcome } from './execution-environment';
import type { FunctionRecord, FunctionRegistry } from './function-registry';
import { LATEST, runnableRecord } from './function-versions';
import type { MemoryLimits } from './memory-limit';
import type { MountSandboxes } from './mount-sandbox';
import { KEPT_RESPONSE_CHARS, type MetricsRecorder } from './metrics';
import type { RuntimeChoice } from './runtime-command';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';
import { throttleRetryDelayMs, type ThrottleBackoff } from './throttle-backoff';

export interface ServiceOptions {
  region: string;
  accountConcurrency: number;
  idleEnvironmentTtlMs: number;
  asyncRetryDelaysMs: readonly number[];
  /** When a throttled event is tried again (Lambda: after 1 s, doubling to 5 minutes). */
  asyncThrottleBackoff: ThrottleBackoff;
  maxEventAgeMs: number;
  /** The share (0..1) of accepted events delivered a second time, with their own request id (a fault switch). */
  duplicateEvents: number;
  /** How long an on-demand environment's INIT may take (Lambda: 10 s) before Lambda retries it in a new start. */
  maxInitMs: number;
  /** Draws for `duplicateEvents`; tests may pin it. */
  random?: () => number;
  maxResponseBytes: number;
  logDir: string;
  runtime: RuntimeChoice;
  /** The Node executable for a function's runtime (e.g. nodejs22.x); absent = the command's own (the host's). */
  nodeFor?: (runtime: string) => string;
  /** One line per notable event (cold start, throttle, timeout), for the service's console. */
  narrate: (line: string) => void;
  /** Lambda's CPU share for each environment's memory size; absent = every environment runs unlimited. */
  cpuShares?: CpuShares;
  /** Lambda's memory limit for each environment (its memory size); absent = every environment runs unlimited. */
  memoryLimits?: MemoryLimits;
  /** Lambda's read-only code and private /tmp for each environment; absent = writable code, the host's /tmp. */
  sandbox?: MountSandboxes;
  /** The temporary credentials of the function's execution role, for each environment that starts. */
  executionCredentials?: (record: FunctionRecord) => ExecutionCredentials;
}

interface QueuedEvent {
  requestId: string;
  functionName: string;
  /** The version the event was sent to ($LATEST or a number), and the ARN it was sent to. */
  version: string;
  invokedArn: string;
  payload: Buffer;
  attempt: number;
  notBefore: number;
  queuedAt: number;
  /** An event waiting for capacity counts once as a throttle, as in CloudWatch. */
  throttleCounted?: boolean;
  /** How often it found no capacity: its back-off grows with each, across its retries too. */
  throttles: number;
}

/** Which version an invocation runs, and the ARN it was invoked by (context.invokedFunctionArn). */
export interface Invoked {
  version: string;
  invokedArn?: string;
}

const LATEST_INVOKED: Invoked = { version: LATEST };

export class LambdaService {
  /** Pools of environments, one per function version (`NAME:$LATEST`, `NAME:3`): a version runs its own code. */
  private readonly environments = new Map<string, ExecutionEnvironment[]>();
  /** Every environment whose process may still be running, dead or not: shutdown waits for them all. */
  private readonly notYetExited = new Set<ExecutionEnvironment>();
  private readonly queue: QueuedEvent[] = [];
  private readonly reaper: NodeJS.Timeout;
  private pumpTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly metrics: MetricsRecorder,
    private readonly options: ServiceOptions,
  ) {
    fs.mkdirSync(options.logDir, { recursive: true });
    this.reaper = setInterval(() => this.reap(), 1_000);
  }

  concurrencyLimit(record: FunctionRecord): number {
    return record.ReservedConcurrentExecutions ?? this.options.accountConcurrency;
  }

  /** Every live environment of the function, whatever version it runs. */
  environmentsOf(functionName: string): ExecutionEnvironment[] {
    return [...this.environments.entries()]
      .filter(([key]) => key.startsWith(`${functionName}:`))
      .flatMap(([, envs]) => envs.filter((e) => e.state !== 'dead'));
  }

  /**
   * RequestResponse: runs now, or throws TooManyRequestsException when the function is at its concurrency.
   * `record` is what the version runs (see runnableRecord); `invokedArn` is the ARN the caller used.
   */
  async invokeSync(
    record: FunctionRecord,
    payload: Buffer,
    version: Invoked = LATEST_INVOKED,
  ): Promise<InvocationOutcome> {
    const env = this.acquire(record, version.version);
    if (!env) {
      this.metrics.throttled(record.FunctionName);
      this.options.narrate(`${record.FunctionName}: throttled (concurrency ${this.concurrencyLimit(record)} in use)`);
      throw throttled();
    }
    return this.run(record, env, payload, randomUUID(), version.invokedArn ?? record.FunctionArn);
  }

  /**
   * Event: queued and run when there is capacity; returns the request id. An event that finds none is throttled and
   * tried again after a back-off (1 s, doubling to 5 minutes on Lambda), not the moment capacity frees. With
   * `duplicateEvents`, some events are delivered twice, the second time as a separate invocation with its own request
   * id, as Lambda's eventually consistent queue may do ("it's possible for it to receive the same event from Lambda
   * multiple times").
   */
  invokeAsync(record: FunctionRecord, payload: Buffer, version: Invoked = LATEST_INVOKED): string {
    const requestId = randomUUID();
    const invokedArn = version.invokedArn ?? record.FunctionArn;
    const event: QueuedEvent = {
      requestId,
      functionName: record.FunctionName,
      version: version.version,
      invokedArn,
      payload,
      attempt: 1,
      notBefore: 0,
      queuedAt: Date.now(),
      throttles: 0,
    };
    this.queue.push(event);
    const share = this.options.duplicateEvents ?? 0;
    if (share > 0 && (this.options.random ?? Math.random)() < share) {
      const duplicate = { ...event, requestId: randomUUID() };
      this.options.narrate(
        `${record.FunctionName}: event ${requestId.slice(0, 8)} will be delivered twice (duplicate ${duplicate.requestId.slice(0, 8)})`,
      );
      this.queue.push(duplicate);
    }
    this.pump();
    return requestId;
  }

  queued(functionName: string): number {
    return this.queue.filter((e) => e.functionName === functionName).length;
  }

  /**
   * Crashes one busy environment of the function, chosen at random (chaos testing): its invocation fails with
   * Runtime.ExitError and is counted as an error; a failed event is retried as usual. Undefined when none is busy.
   */
  crashBusyEnvironment(functionName: string, random: () => number = Math.random): ExecutionEnvironment | undefined {
    const busy = this.environmentsOf(functionName).filter((e) => e.state === 'busy' && e.pid !== undefined);
    const victim = busy[Math.floor(random() * busy.length)];
    return victim?.crash() ? victim : undefined;
  }

  /**
   * Stops every environment and waits until their processes are gone (SIGKILL is not instant: a busy Node
   * process takes a moment to die), so whoever shuts the service down leaves nothing running behind it.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    clearTimeout(this.pumpTimer);
    this.environments.clear();
    const environments = [...this.notYetExited];
    environments.forEach((e) => e.kill());
    await Promise.all(environments.map((e) => e.exited()));
    this.options.cpuShares?.close();
    this.options.memoryLimits?.close();
  }

  private acquire(record: FunctionRecord, version: string): ExecutionEnvironment | undefined {
    if (this.closed) return undefined;
    const key = `${record.FunctionName}:${version}`;
    const envs = (this.environments.get(key) ?? []).filter((e) => e.state !== 'dead');
    this.environments.set(key, envs);
    // Concurrency is the function's, shared by all its versions, as on Lambda.
    const busy = this.environmentsOf(record.FunctionName).filter(
      (e) => e.state === 'busy' || e.state === 'starting',
    ).length;
    if (busy >= this.concurrencyLimit(record)) return undefined;
    const warm = envs.find((e) => e.state === 'idle' && e.revisionId === record.RevisionId);
    if (warm) {
      warm.state = 'busy';
      return warm;
    }
    return this.newEnvironment(record, version);
  }

  /** A new environment in the version's pool (a cold start); the caller holds the concurrency it takes. */
  private newEnvironment(record: FunctionRecord, version: string): ExecutionEnvironment {
    const key = `${record.FunctionName}:${version}`;
    const envs = this.environments.get(key) ?? [];
    this.environments.set(key, envs);
    const credentialsOf = this.options.executionCredentials;
    const env = new ExecutionEnvironment({
      record,
      version,
      runtimeCommand: this.options.nodeFor
        ? [this.options.nodeFor(record.Runtime), ...this.options.runtime.command.slice(1)]
        : this.options.runtime.command,
      region: this.options.region,
      logFile: path.join(this.options.logDir, `${record.FunctionName}.log`),
      maxResponseBytes: this.options.maxResponseBytes,
      cpuShares: this.options.cpuShares,
      memoryLimits: this.options.memoryLimits,
      sandbox: this.options.sandbox,
      credentials: credentialsOf && (() => credentialsOf(record)),
    });
    envs.push(env);
    this.notYetExited.add(env);
    void env.exited().then(() => this.notYetExited.delete(env));
    return env;
  }

  private async run(
    record: FunctionRecord,
    env: ExecutionEnvironment,
    payload: Buffer,
    requestId: string,
    invokedArn: string,
  ): Promise<InvocationOutcome> {
    const coldStart = env.invocations === 0;
    this.metrics.started(requestId, record.FunctionName, env.id);
    if (coldStart)
      this.options.narrate(`${record.FunctionName}: cold start of ${env.id} for request ${requestId.slice(0, 8)}`);
    let outcome: InvocationOutcome;
    let environment = env;
    try {
      outcome = await env.invoke(payload, requestId, invokedArn, { initCapMs: this.options.maxInitMs });
      if (outcome.initTimedOut && !this.closed) {
        // Lambda "retries the Init phase at the time of the first function invocation with the configured function
        // timeout": a new start, for the same request, its INIT no longer capped; the first INIT is billed with it.
        const firstInitMs = outcome.initDurationMs ?? 0;
        this.options.narrate(
          `${record.FunctionName}: INIT of ${env.id} ran past ${this.options.maxInitMs / 1000} s (Status: timeout); retrying the Init phase for request ${requestId.slice(0, 8)}`,
        );
        environment = this.newEnvironment(record, env.codeVersion);
        const retried = await environment.invoke(payload, requestId, invokedArn, { priorInitMs: firstInitMs });
        outcome = {
          ...retried,
          durationMs: retried.durationMs + outcome.durationMs,
          initDurationMs: firstInitMs + (retried.initDurationMs ?? 0),
          logTail: (outcome.logTail + retried.logTail).slice(-4096),
        };
      }
    } catch (err) {
      outcome = {
        requestId,
        ok: false,
        body: Buffer.from(JSON.stringify({ errorType: 'ServiceException', errorMessage: (err as Error).message })),
        errorType: 'ServiceException',
        durationMs: 0,
        logTail: '',
      };
    }
    const response = outcome.ok ? outcome.body.toString('utf8', 0, KEPT_RESPONSE_CHARS) : undefined;
    this.metrics.finished(requestId, {
      functionName: record.FunctionName,
      error: !outcome.ok,
      coldStart,
      memoryMb: record.MemorySize,
      response,
      maxMemoryUsedMb: outcome.maxMemoryUsedMb,
      environmentId: environment.id,
      ...(outcome.initDurationMs !== undefined && { initDurationMs: outcome.initDurationMs }),
      ...(!outcome.ok && outcome.errorType && { errorType: outcome.errorType }),
    });
    const took = `${(outcome.durationMs / 1000).toFixed(1)} s`;
    this.options.narrate(
      `${record.FunctionName}: request ${requestId.slice(0, 8)} ${outcome.ok ? 'done' : `failed (${outcome.errorType})`} in ${took}`,
    );
    this.pump();
    return outcome;
  }

  private pump(): void {
    clearTimeout(this.pumpTimer);
    if (this.closed) return; // events still queued at shutdown are dropped, as the process is going away
    const now = Date.now();
    for (const event of [...this.queue]) {
      if (event.notBefore > now) continue;
      const record = this.recordOf(event.functionName, event.version);
      if (!record) {
        this.queue.splice(this.queue.indexOf(event), 1);
        continue;
      }
      if (now - event.queuedAt > this.options.maxEventAgeMs) {
        this.queue.splice(this.queue.indexOf(event), 1);
        this.options.narrate(
          `${event.functionName}: dropped event ${event.requestId.slice(0, 8)} (older than the maximum event age)`,
        );
        continue;
      }
      const env = this.acquire(record, event.version);
      if (!env) {
        if (!event.throttleCounted) {
          this.metrics.throttled(record.FunctionName);
          event.throttleCounted = true;
        }
        // Lambda returns a throttled event to its queue and tries it again later, whenever capacity frees meanwhile.
        event.throttles += 1;
        const backoffMs = throttleRetryDelayMs(event.throttles, this.options.asyncThrottleBackoff);
        event.notBefore = now + backoffMs;
        this.options.narrate(
          `${record.FunctionName}: event ${event.requestId.slice(0, 8)} throttled (concurrency ${this.concurrencyLimit(record)} in use); next attempt in ${backoffMs / 1000} s`,
        );
        continue;
      }
      this.queue.splice(this.queue.indexOf(event), 1);
      void this.run(
        record,
        env,
        event.payload,
        event.attempt === 1 ? event.requestId : randomUUID(),
        event.invokedArn,
      ).then((outcome) => {
        const delay = this.options.asyncRetryDelaysMs[event.attempt - 1];
        if (!outcome.ok && delay !== undefined) {
          this.options.narrate(
            `${record.FunctionName}: retrying event ${event.requestId.slice(0, 8)} in ${delay / 1000} s (attempt ${event.attempt + 1})`,
          );
          this.queue.push({ ...event, attempt: event.attempt + 1, notBefore: Date.now() + delay });
          this.pump(); // re-arms the timer for the earliest waiting event, which may be a throttled one due sooner
        }
      });
    }
    const waiting = this.queue.filter((e) => e.notBefore > now).map((e) => e.notBefore - now);
    if (waiting.length > 0) this.schedulePump(Math.min(...waiting));
  }

  private schedulePump(ms: number): void {
    clearTimeout(this.pumpTimer);
    this.pumpTimer = setTimeout(() => this.pump(), ms);
  }

  /** What `functionName:version` runs now; undefined once the function or the version is deleted. */
  private recordOf(functionName: string, version: string): FunctionRecord | undefined {
    try {
      const { record, qualifier } = this.registry.resolve(`${functionName}:${version}`);
      return runnableRecord(record, this.registry.snapshotOf(record, qualifier));
    } catch {
      return undefined;
    }
  }

  /** Kills environments idle past their time, and idle ones running code that has since been replaced or deleted. */
  private reap(): void {
    const now = Date.now();
    for (const [name, envs] of this.environments) {
      const separator = name.lastIndexOf(':');
      const record = this.recordOf(name.slice(0, separator), name.slice(separator + 1));
      for (const env of envs) {
        const stale = !record || env.revisionId !== record.RevisionId;
        if (env.state === 'idle' && (stale || now - env.lastUsedAt > this.options.idleEnvironmentTtlMs)) {
          env.kill();
          this.options.narrate(`${name}: reaped idle ${env.id}${stale ? ' (code replaced)' : ''}`);
        }
      }
      this.environments.set(
        name,
        envs.filter((e) => e.state !== 'dead'),
      );
    }
  }
}

export const DEFAULT_SERVICE_OPTIONS = {
  region: LOCAL_LAMBDA_DEFAULTS.region,
  accountConcurrency: LOCAL_LAMBDA_DEFAULTS.accountConcurrency,
  idleEnvironmentTtlMs: LOCAL_LAMBDA_DEFAULTS.idleEnvironmentTtlMs,
  asyncRetryDelaysMs: LOCAL_LAMBDA_DEFAULTS.asyncRetryDelaysMs,
  asyncThrottleBackoff: LOCAL_LAMBDA_DEFAULTS.asyncThrottleBackoff,
  maxEventAgeMs: LOCAL_LAMBDA_DEFAULTS.maxEventAgeMs,
  duplicateEvents: LOCAL_LAMBDA_DEFAULTS.duplicateEvents,
  maxInitMs: LOCAL_LAMBDA_DEFAULTS.maxInitMs,
  maxResponseBytes: LOCAL_LAMBDA_DEFAULTS.maxResponseBytes,
};

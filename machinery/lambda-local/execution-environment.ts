/**
 * One execution environment: a separate Node process running the function's unpacked code through a runtime
 * client, fed by its own Runtime API server. Between invocations it is frozen (SIGSTOP), so nothing runs while it
 * is idle; it is thawed (SIGCONT) for the next event, killed at the function's timeout, and reaped when idle long.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AppliedShare, CpuShares } from './cpu-share';
import { lambdaNodeFlags } from '../lambda-entry/runtime-flags';
import type { FunctionRecord } from './function-registry';
import type { AppliedLimit, MemoryLimits } from './memory-limit';
import type { MountSandboxes } from './mount-sandbox';
import { packageArchitectureProblem } from './package-architecture';
import { PeakMemory } from './peak-memory';
import { RuntimeApiServer, type RuntimeReport } from './runtime-api-server';

export interface InvocationOutcome {
  requestId: string;
  ok: boolean;
  body: Buffer;
  /** For errors: Unhandled, Sandbox.Timedout, Runtime.ExitError, Runtime.OutOfMemory, Runtime.ImportModuleError... */
  errorType?: string;
  durationMs: number;
  /** Set on a cold start: how long loading the code took before the handler ran. */
  initDurationMs?: number;
  /** The environment process's peak resident memory so far, as the REPORT line's Max Memory Used. */
  maxMemoryUsedMb?: number;
  /**
   * Its INIT ran past the cap (`initCapMs`) and the environment was stopped (INIT_REPORT ... Status: timeout): Lambda
   * then retries the Init phase in a new start, within the invocation, under the function's timeout.
   */
  initTimedOut?: boolean;
  logTail: string;
}

export interface InvokeOptions {
  /** How long INIT may take before the environment is stopped (Lambda: 10 s for on-demand); absent = no cap. */
  initCapMs?: number;
  /** An INIT that already ran out for this request (a retried Init): its time is billed with this invocation's. */
  priorInitMs?: number;
}

export interface EnvironmentOptions {
  record: FunctionRecord;
  /** The version whose code the environment runs: $LATEST or a published number. */
  version?: string;
  /** The command that runs the runtime client, followed by the handler string. */
  runtimeCommand: string[];
  region: string;
  logFile: string;
  maxResponseBytes: number;
  /** Caps the process to the CPU Lambda gives the function's memory size, where the host allows it. */
  cpuShares?: CpuShares;
  /** Holds the process to the function's memory size (the OOM killer ends it beyond), where the host allows it. */
  memoryLimits?: MemoryLimits;
  /** Makes the code read-only and /tmp private to the process (its EphemeralStorage.Size), where the host allows it. */
  sandbox?: MountSandboxes;
  /** The execution role's temporary credentials, asked for when the process starts; absent = none are given. */
  credentials?: () => ExecutionCredentials;
}

/** What Lambda puts in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
export interface ExecutionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

type State = 'starting' | 'busy' | 'idle' | 'dead';

const LOG_TAIL_BYTES = 4 * 1024;

export class ExecutionEnvironment {
  readonly id = `env-${randomUUID().slice(0, 8)}`;
  readonly revisionId: string;
  state: State = 'starting';
  lastUsedAt = Date.now();
  invocations = 0;
  private process?: ChildProcess;
  private readonly api: RuntimeApiServer;
  private current?: {
    requestId: string;
    startedAt: number;
    resolve: (o: InvocationOutcome) => void;
    timer: NodeJS.Timeout;
    log: string;
    priorInitMs: number;
  };
  private spawnedAt = 0;
  private initCapMs?: number;
  private initCap?: NodeJS.Timeout;
  private initDurationMs?: number;
  private frozen = false;
  private readonly peakMemory = new PeakMemory();
  /** The CPU share the process got (its cgroup and quota); undefined when it runs unlimited. */
  cpuShare?: AppliedShare;
  /** The memory limit the process got (its cgroup); undefined when it runs unlimited. */
  memoryLimit?: AppliedLimit;
  private markExited!: () => void;
  private readonly processExited = new Promise<void>((resolve) => (this.markExited = resolve));

  constructor(private readonly options: EnvironmentOptions) {
    this.revisionId = options.record.RevisionId;
    this.api = new RuntimeApiServer(
      {
        onWaiting: () => this.onWaiting(),
        onNextRequested: () => {
          // INIT ends when the runtime first asks for an event (the handler is loaded): REPORT's Init Duration.
          if (this.initDurationMs === undefined) this.initDurationMs = Date.now() - this.spawnedAt;
        },
        onReport: (report) => this.onReport(report),
      },
      options.maxResponseBytes,
    );
    // A group can only be removed once no process is left in it.
    void this.processExited.then(() => {
      options.cpuShares?.release(this.id);
      options.memoryLimits?.release(this.id);
    });
  }

  /** The version whose code it runs ($LATEST or a number). */
  get codeVersion(): string {
    return this.options.version ?? '$LATEST';
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** The request running now, if any: the Lambda worker's identity starts with it, so a console can match them. */
  get currentRequestId(): string | undefined {
    return this.current?.requestId;
  }

  /** Runs one invocation; a fresh environment starts its process first (a cold start). */
  async invoke(
    payload: Buffer,
    requestId: string = randomUUID(),
    invokedArn?: string,
    invokeOptions: InvokeOptions = {},
  ): Promise<InvocationOutcome> {
    if (this.state === 'dead') throw new Error(`${this.id} is dead`);
    const cold = !this.process;
    this.state = 'busy';
    this.invocations++;
    const { record } = this.options;
    const startedAt = Date.now();
    const deadlineMs = startedAt + record.Timeout * 1000;
    const outcome = new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => this.timeOut(), record.Timeout * 1000);
      this.current = { requestId, startedAt, resolve, timer, log: '', priorInitMs: invokeOptions.priorInitMs ?? 0 };
    });
    // The cap counts from the environment's start (the process's spawn), as Init Duration does.
    this.initCapMs = cold ? invokeOptions.initCapMs : undefined;
    this.log(`START RequestId: ${requestId} Version: ${this.options.version ?? '$LATEST'}\n`);
    if (cold) await this.start();
    else this.thaw();
    this.api.deliver({ requestId, payload, deadlineMs, functionArn: invokedArn ?? record.FunctionArn });
    const result = await outcome;
    clearTimeout(this.initCap);
    if (cold) result.initDurationMs ??= this.initDurationMs;
    return result;
  }

  /**
   * Kills the environment's process as a crash would (out of memory, a fatal signal): unlike `kill`, the
   * invocation in progress ends with Runtime.ExitError, so it counts as an error, as it does on Lambda.
   * Returns false when there is no running process to kill.
   */
  crash(): boolean {
    if (this.state === 'dead' || !this.process || this.process.exitCode !== null) return false;
    this.process.kill('SIGKILL');
    return true;
  }

  /** Resolves once the environment is dead and its process, if it ever started, has exited and been reaped. */
  exited(): Promise<void> {
    return this.processExited;
  }

  kill(): void {
    if (this.state === 'dead') return;
    if (this.current) {
      // Killed with an invocation in flight (the service is shutting down): it fails now, not at its timeout.
      const message = `RequestId: ${this.current.requestId} Error: Runtime exited: the execution environment was shut down`;
      this.finish(
        false,
        JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: message }),
        'Runtime.ExitError',
      );
    }
    this.state = 'dead';
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) this.markExited();
    else this.process.kill('SIGKILL');
    this.api.close();
  }

  /** A cold start: the Runtime API, then the runtime's process, capped and watched. */
  private async start(): Promise<void> {
    const { record } = this.options;
    const runtimeApi = await this.api.listen();
    if (this.state === 'dead') return; // shut down while the runtime API was opening: start nothing
    // Lambda runs the code on the function's architecture: a zip built for the other one fails its init there.
    const wrongArchitecture = packageArchitectureProblem(record.codeDir, record.Architectures[0] ?? 'x86_64');
    if (wrongArchitecture !== undefined) return this.failInit('Runtime.ImportModuleError', wrongArchitecture);
    const env = this.processEnvironment(runtimeApi);
    this.spawnedAt = Date.now();
    if (this.initCapMs !== undefined) this.initCap = setTimeout(() => this.initTimedOut(), this.initCapMs);
    this.watchExit(this.spawnRuntime(env));
  }

  /** Only what Lambda's own environment has, plus the function's variables: nothing of this machine leaks in. */
  private processEnvironment(runtimeApi: string): NodeJS.ProcessEnv {
    const { record, region } = this.options;
    return {
      PATH: process.env.PATH,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      HOME: '/tmp',
      // The function's variables may replace PATH, LANG, TZ or HOME, never what Lambda reserves (set below).
      ...record.Environment.Variables,
      LAMBDA_TASK_ROOT: record.codeDir,
      LAMBDA_RUNTIME_DIR: record.codeDir,
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
      AWS_EXECUTION_ENV: `AWS_Lambda_${record.Runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: record.FunctionName,
      AWS_LAMBDA_FUNCTION_VERSION: this.options.version ?? '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.MemorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${record.FunctionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `local/${this.id}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      _HANDLER: record.Handler,
      ...executionCredentials(this.options.credentials?.()),
    };
  }

  /** The runtime's process (in the sandbox, if any), capped to the function's CPU and memory, its output logged. */
  private spawnRuntime(env: NodeJS.ProcessEnv): ChildProcess {
    const { record, runtimeCommand } = this.options;
    const memory = record.MemorySize;
    const [node, ...args] = runtimeCommand;
    // Node starts with the flags AWS's runtime gives it for this memory (and the compile cache is made under them).
    const runtime = [node, ...lambdaNodeFlags(memory), ...args, record.Handler];
    // In the sandbox, a shell sets up the mounts and then execs the runtime: the pid below is the runtime's all along.
    const [command, ...argv] =
      this.options.sandbox?.wrap(runtime, record.codeDir, record.EphemeralStorage.Size) ?? runtime;
    const child = spawn(command, argv, {
      cwd: record.codeDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    // Capped right after the spawn, before Node has loaded anything (a spawn that failed has no pid).
    if (child.pid !== undefined) {
      this.cpuShare = this.options.cpuShares?.apply(this.id, child.pid, memory);
      this.memoryLimit = this.options.memoryLimits?.apply(this.id, child.pid, memory, this.cpuShare?.group);
    }
    child.stdout?.on('data', (chunk: Buffer) => this.log(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.log(chunk.toString()));
    return child;
  }

  /** The process's end (an exit, a kill, a failed spawn) fails the invocation in flight and ends the environment. */
  private watchExit(child: ChildProcess): void {
    const memory = this.options.record.MemorySize;
    const ended = (why: string) => {
      if (this.state !== 'dead' && this.current) {
        this.finish(
          false,
          JSON.stringify({
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${this.current.requestId} Error: ${why}`,
          }),
          'Runtime.ExitError',
        );
      }
      this.kill();
      this.markExited();
    };
    child.on('exit', (code, signal) => {
      // Killed by the OOM killer for going past its memory size (its group's oom_kill count, read before the
      // group is removed): Lambda's own words, and the REPORT line's Max Memory Used at the memory size.
      if (
        signal === 'SIGKILL' &&
        this.options.memoryLimits?.oomKilled(this.id) &&
        this.state !== 'dead' &&
        this.current
      ) {
        const errorMessage = `RequestId: ${this.current.requestId} Error: Runtime exited with error: signal: killed`;
        this.finish(
          false,
          JSON.stringify({ errorType: 'Runtime.OutOfMemory', errorMessage }),
          'Runtime.OutOfMemory',
          memory,
        );
      }
      ended(`Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`);
    });
    // The runtime command could not be started (spawn failed): there is no process to wait for.
    child.on('error', (err) => ended(`Runtime failed to start: ${err.message}`));
  }

  /** The init failed before any process started: the invocation fails as an init error, and nothing is reused. */
  private failInit(errorType: string, errorMessage: string): void {
    const body = JSON.stringify({ errorType, errorMessage });
    this.log(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${body}\n`);
    this.finish(false, body, errorType);
    this.kill();
  }

  private onWaiting(): void {
    if (this.current) return; // the event is on its way
    this.state = 'idle';
    this.lastUsedAt = Date.now();
    this.freeze();
  }

  private onReport(report: RuntimeReport): void {
    if (report.kind === 'response') return this.finish(true, report.body.toString('utf8'));
    if (report.kind === 'error') return this.finish(false, report.body.toString('utf8'), 'Unhandled');
    this.finish(false, report.body.toString('utf8'), report.errorType);
    this.kill(); // an environment whose init failed is never reused
  }

  /**
   * INIT ran past its cap, the runtime never asked for its first event: Lambda's INIT_REPORT, the process is stopped
   * (no END/REPORT: the request goes on, in the Init that Lambda retries under the function's timeout).
   */
  private initTimedOut(): void {
    const current = this.current;
    if (!current || this.initDurationMs !== undefined || this.state === 'dead') return;
    this.current = undefined;
    clearTimeout(current.timer);
    // Stopped by the cap, so it ran at least the cap: a timer may fire a millisecond early by the wall clock
    // (it counts from the event loop's cached time), which must not report 999 ms for a 1000 ms cap.
    const initDurationMs = Math.max(Date.now() - this.spawnedAt, this.initCapMs ?? 0);
    const line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: timeout\n`;
    this.log(line);
    current.log += line;
    current.resolve({
      requestId: current.requestId,
      ok: false,
      body: Buffer.from(
        JSON.stringify({
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${current.requestId} Error: INIT phase timed out after ${initDurationMs.toFixed(0)} ms`,
        }),
      ),
      errorType: 'Sandbox.Timedout',
      durationMs: Date.now() - current.startedAt,
      initDurationMs,
      initTimedOut: true,
      logTail: current.log.slice(-LOG_TAIL_BYTES),
    });
    this.kill();
  }

  private timeOut(): void {
    if (!this.current) return;
    const seconds = this.options.record.Timeout.toFixed(2);
    this.log(`${new Date().toISOString()} ${this.current.requestId} Task timed out after ${seconds} seconds\n`);
    const body = JSON.stringify({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${this.current.requestId} Error: Task timed out after ${seconds} seconds`,
    });
    this.finish(false, body, 'Sandbox.Timedout');
    this.kill();
  }

  /** `maxMemoryUsedMb` overrides the process's measured peak (an OOM kill used all of the memory size). */
  private finish(ok: boolean, body: string, errorType?: string, maxMemoryUsedMb?: number): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    const durationMs = Date.now() - current.startedAt;
    // An Init that ran out before this one (a retried Init) is billed with this invocation, as Lambda bills INIT.
    const billed = Math.max(1, Math.ceil(durationMs + current.priorInitMs));
    const initMs =
      this.invocations === 1 && (this.initDurationMs !== undefined || current.priorInitMs > 0)
        ? current.priorInitMs + (this.initDurationMs ?? 0)
        : undefined;
    const init = initMs !== undefined ? `\tInit Duration: ${initMs.toFixed(2)} ms` : '';
    maxMemoryUsedMb ??= this.peakMemory.sample(this.process?.pid);
    const maxUsed = maxMemoryUsedMb === undefined ? '' : `\tMax Memory Used: ${maxMemoryUsedMb} MB`;
    const report = `END RequestId: ${current.requestId}\nREPORT RequestId: ${current.requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${this.options.record.MemorySize} MB${maxUsed}${init}\n`;
    this.log(report);
    current.log += report;
    this.lastUsedAt = Date.now();
    if (this.state === 'busy') this.state = 'idle';
    current.resolve({
      requestId: current.requestId,
      ok,
      body: Buffer.from(body),
      errorType,
      durationMs,
      maxMemoryUsedMb,
      logTail: current.log.slice(-LOG_TAIL_BYTES),
    });
  }

  private freeze(): void {
    if (this.frozen || !this.process?.pid || this.process.exitCode !== null) return;
    this.process.kill('SIGSTOP');
    this.frozen = true;
  }

  private thaw(): void {
    if (!this.frozen || !this.process?.pid) return;
    this.process.kill('SIGCONT');
    this.frozen = false;
  }

  private log(text: string): void {
    if (this.current) this.current.log += text;
    fs.appendFileSync(this.options.logFile, text);
  }
}

/** The credentials' variables (the values go to the process only: never to a log). */
function executionCredentials(credentials: ExecutionCredentials | undefined): NodeJS.ProcessEnv {
  if (!credentials) return {};
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

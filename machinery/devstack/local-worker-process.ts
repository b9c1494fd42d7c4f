/**
 * The local worker (`worker/main.ts`) as a child process its starter may kill: started as one entry-point process
 * with the one local-worker environment, ready once it prints that it polls, signalled by its pid. Chaos, the bench
 * and the presenter console all start their worker here; each keeps its own bookkeeping around it.
 */

import type { ChildProcess } from 'node:child_process';
import { spawnEntryPoint } from './entry-point-process';
import type { Stage } from './stage';
import { stopProcess } from '../plumbing/stop-process';
import { isWorkerReadyLine } from '../../worker/readiness';

/**
 * The environment that points a worker (or a client such as the console) at a local Temporal dev server.
 * TEMPORAL_PROFILE is emptied so a profile exported in the developer's shell cannot send it elsewhere.
 */
export function localTemporalEnvironment(
  address: string,
  namespace = 'default',
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_PROFILE: '', ...extra };
}

export interface LocalWorkerProcessOptions {
  /** The worker's environment: build it with localTemporalEnvironment. */
  env: NodeJS.ProcessEnv;
  /** Each line the worker prints (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Owns the process, so the stage stops it on the way out; without one the starter must stop it. */
  stage?: Stage;
  /** Give up waiting for readiness after this long; without it, wait until the worker polls or exits. */
  startTimeoutMs?: number;
}

export interface LocalWorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the worker polls; rejects (with its last lines) if it exits first or misses startTimeoutMs. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly isAlive: boolean;
  /** Sends the signal (SIGKILL: no goodbye; SIGINT: drains) and says which pid got it. */
  kill(signal: NodeJS.Signals): number;
  /** Sends the signal, SIGKILL after graceMs, and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const LAST_LINES_KEPT = 20;

export function startLocalWorkerProcess(options: LocalWorkerProcessOptions): LocalWorkerProcess {
  const lastLines: string[] = [];
  let onReadyLine = () => {};
  const onLine = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > LAST_LINES_KEPT) lastLines.shift();
    options.onLine?.(line);
    if (isWorkerReadyLine(line)) onReadyLine();
  };
  const child = options.stage
    ? options.stage.startProcess('worker/main.ts', [], options.env, onLine)
    : spawnEntryPoint('worker/main.ts', [], { env: options.env, onLine });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer =
      options.startTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () => reject(new Error(`the local worker did not poll within ${options.startTimeoutMs! / 1000} s`)),
            options.startTimeoutMs,
          );
    onReadyLine = () => {
      clearTimeout(timer);
      resolve();
    };
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`the local worker ${how} before polling:\n${lastLines.join('\n')}`));
    });
  });
  // A starter that stopped waiting must not crash the process with an unhandled rejection.
  ready.catch(() => undefined);
  const isAlive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid!,
    ready,
    exited,
    get isAlive() {
      return isAlive();
    },
    kill: (signal) => {
      child.kill(signal);
      return child.pid!;
    },
    stop: (signal = 'SIGKILL', graceMs) => stopProcess(child, signal, graceMs),
  };
}

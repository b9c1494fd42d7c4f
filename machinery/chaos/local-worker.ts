/**
 * The local worker as a real child process (`worker/main.ts`, started the way the demo starts it), SIGKILLed and
 * restarted on demand. An exit nobody asked for is recorded: the worker must survive a server restart.
 */

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Stage } from '../devstack/stage';
import { stopProcess } from '../plumbing/stop-process';
import { isWorkerReadyLine } from '../../worker/readiness';

export interface UnexpectedExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  atMs: number;
  lastLines: string[];
}

const START_TIMEOUT_MS = 90_000;

export class LocalWorker {
  private child?: ChildProcess;
  private readonly killedPids = new Set<number>();
  private stopping = false;
  private readonly lastLines: string[] = [];
  readonly unexpectedExits: UnexpectedExit[] = [];
  /** Every pid this worker ran as, with when it was ready. */
  readonly generations: { pid: number; readyAtMs: number }[] = [];

  constructor(
    private readonly stage: Stage,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly log: (line: string) => void,
    private readonly clock: () => number,
  ) {}

  get pid(): number | undefined {
    return this.isUp ? this.child?.pid : undefined;
  }

  get isUp(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Up and polling: started and announced that it waits for orders. */
  get isReady(): boolean {
    return this.isUp && this.generations.at(-1)?.pid === this.child?.pid;
  }

  static identity(pid: number): string {
    return `${pid}@${os.hostname()}`;
  }

  /** Starts a worker process and resolves once it polls. */
  async start(): Promise<number> {
    if (this.stopping) throw new Error('the run is stopping');
    const child = this.stage.startProcess('worker/main.ts', [], this.env, (line) => {
      fs.appendFileSync(this.logFile, `[${child.pid}] ${line}\n`);
      this.lastLines.push(line);
      if (this.lastLines.length > 20) this.lastLines.shift();
    });
    // Owned after the process, so on the way out (newest first) supervision ends before the process is killed.
    this.stage.own('local worker supervision', () => {
      this.stopping = true;
    });
    this.child = child;
    const pid = child.pid!;
    child.once('exit', (code, signal) => {
      if (this.killedPids.has(pid) || this.stopping) return;
      this.unexpectedExits.push({ pid, code, signal, atMs: this.clock(), lastLines: [...this.lastLines] });
      this.log(`! local worker pid ${pid} exited by itself (code ${code}, signal ${signal}); starting another`);
      if (this.child !== child) return;
      setTimeout(() => {
        if (!this.stopping)
          void this.start().catch((err: Error) => this.log(`! could not restart the worker: ${err.message}`));
      }, 1_000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the local worker did not start within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      const onData = () => {
        if (this.lastLines.some(isWorkerReadyLine)) done(resolve);
      };
      const onExit = () =>
        done(() => reject(new Error(`the local worker exited while starting:\n${this.lastLines.join('\n')}`)));
      const done = (fn: () => void) => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        fn();
      };
      this.lastLines.length = 0;
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
    this.generations.push({ pid, readyAtMs: this.clock() });
    return pid;
  }

  /** Ctrl+C: the worker drains and tells the server its pollers are gone, so new work goes to the Lambda at once. */
  async stop(): Promise<number | undefined> {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    this.killedPids.add(pid);
    await stopProcess(this.child!, 'SIGINT', 20_000);
    return pid;
  }

  /** SIGKILL: no goodbye, its activities time out on their heartbeat and are retried elsewhere. */
  kill(): number | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    this.killedPids.add(pid);
    this.child!.kill('SIGKILL');
    return pid;
  }
}

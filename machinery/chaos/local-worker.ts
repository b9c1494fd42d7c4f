/**
 * The local worker as a real child process (`worker/main.ts`, started the way the demo starts it), SIGKILLed and
 * restarted on demand. An exit nobody asked for is recorded: the worker must survive a server restart.
 */

import fs from 'node:fs';
import os from 'node:os';
import { startLocalWorkerProcess, type LocalWorkerProcess } from '../devstack/local-worker-process';
import type { Stage } from '../devstack/stage';

export interface UnexpectedExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  atMs: number;
  lastLines: string[];
}

const START_TIMEOUT_MS = 90_000;

export class LocalWorker {
  private worker?: LocalWorkerProcess;
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
    return this.isUp ? this.worker?.pid : undefined;
  }

  get isUp(): boolean {
    return this.worker?.isAlive ?? false;
  }

  /** Up and polling: started and announced that it waits for orders. */
  get isReady(): boolean {
    return this.isUp && this.generations.at(-1)?.pid === this.worker?.pid;
  }

  static identity(pid: number): string {
    return `${pid}@${os.hostname()}`;
  }

  /** Starts a worker process and resolves once it polls. */
  async start(): Promise<number> {
    if (this.stopping) throw new Error('the run is stopping');
    this.lastLines.length = 0;
    const worker = startLocalWorkerProcess({
      env: this.env,
      stage: this.stage,
      startTimeoutMs: START_TIMEOUT_MS,
      onLine: (line) => {
        fs.appendFileSync(this.logFile, `[${worker.pid}] ${line}\n`);
        this.lastLines.push(line);
        if (this.lastLines.length > 20) this.lastLines.shift();
      },
    });
    // Owned after the process, so on the way out (newest first) supervision ends before the process is killed.
    this.stage.own('local worker supervision', () => {
      this.stopping = true;
    });
    this.worker = worker;
    const pid = worker.pid;
    void worker.exited.then(({ code, signal }) => {
      if (this.killedPids.has(pid) || this.stopping) return;
      this.unexpectedExits.push({ pid, code, signal, atMs: this.clock(), lastLines: [...this.lastLines] });
      this.log(`! local worker pid ${pid} exited by itself (code ${code}, signal ${signal}); starting another`);
      if (this.worker !== worker) return;
      setTimeout(() => {
        if (!this.stopping)
          void this.start().catch((err: Error) => this.log(`! could not restart the worker: ${err.message}`));
      }, 1_000);
    });
    await worker.ready;
    this.generations.push({ pid, readyAtMs: this.clock() });
    return pid;
  }

  /** Ctrl+C: the worker drains and tells the server its pollers are gone, so new work goes to the Lambda at once. */
  async stop(): Promise<number | undefined> {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    this.killedPids.add(pid);
    await this.worker!.stop('SIGINT', 20_000);
    return pid;
  }

  /** SIGKILL: no goodbye, its activities time out on their heartbeat and are retried elsewhere. */
  kill(): number | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    this.killedPids.add(pid);
    return this.worker!.kill('SIGKILL');
  }
}

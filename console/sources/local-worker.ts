/**
 * The local worker the console starts and stops (`worker/main.ts` as its own process). Only a worker started
 * here is ever signalled: the console never looks for other processes to kill.
 */

import type { ChildProcess } from 'node:child_process';
import { spawnEntryPoint } from '../../machinery/devstack/entry-point-process';
import { stopProcess } from '../../machinery/plumbing/stop-process';
import { isWorkerReadyLine } from '../../worker/readiness';
import type { LocalWorkerView } from '../console-types';

export interface LocalWorkerOptions {
  /** Environment for the worker: where Temporal is, the journal it shares with the Lambda. */
  env: NodeJS.ProcessEnv;
  onChange: (view: LocalWorkerView) => void;
  onLine?: (line: string) => void;
}

export class LocalWorkerProcess {
  private child?: ChildProcess;
  private view: LocalWorkerView = { state: 'not started', controllable: true };

  constructor(private readonly options: LocalWorkerOptions) {}

  snapshot(): LocalWorkerView {
    return this.view;
  }

  get isAlive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** Starts the worker; resolves once it polls (or rejects with its output if it exits first). */
  start(): Promise<void> {
    if (this.isAlive) return Promise.reject(new Error(`the local worker is already running (pid ${this.child!.pid})`));
    const output: string[] = [];
    let ready = () => {};
    const child = spawnEntryPoint('worker/main.ts', [], {
      env: this.options.env,
      onLine: (line) => {
        output.push(line);
        this.options.onLine?.(line);
        if (isWorkerReadyLine(line) && this.child === child) {
          this.set({ state: 'running', pid: child.pid, controllable: true });
          ready();
        }
      },
    });
    this.child = child;
    this.set({ state: 'starting', pid: child.pid, controllable: true });
    return new Promise<void>((resolve, reject) => {
      ready = resolve;
      child.once('exit', (code, signal) => {
        if (this.child !== child) return;
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const state =
          signal === 'SIGKILL' ? 'killed' : code === 0 || this.view.state === 'draining' ? 'stopped' : 'failed';
        this.set({ state, pid: child.pid, controllable: true, detail: how });
        reject(new Error(`the local worker ${how} before polling:\n${output.slice(-10).join('\n')}`));
      });
    });
  }

  /** SIGKILL (no goodbye) or SIGINT (Ctrl+C: drain, then hand the rest back to Temporal). */
  kill(signal: 'SIGKILL' | 'SIGINT'): number {
    if (!this.isAlive) throw new Error('the local worker is not running: start it first');
    const pid = this.child!.pid!;
    this.child!.kill(signal);
    if (signal === 'SIGINT') this.set({ state: 'draining', pid, controllable: true });
    return pid;
  }

  async close(): Promise<void> {
    if (this.child) await stopProcess(this.child);
  }

  private set(view: LocalWorkerView): void {
    this.view = view;
    this.options.onChange(view);
  }
}

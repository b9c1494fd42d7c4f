/**
 * The local worker the console starts and stops (`worker/main.ts` as its own process). Only a worker started
 * here is ever signalled: the console never looks for other processes to kill.
 */

import {
  startLocalWorkerProcess,
  type LocalWorkerProcess as StartedWorker,
} from '../../machinery/devstack/local-worker-process';
import type { LocalWorkerView } from '../console-types';

export interface LocalWorkerOptions {
  /** Environment for the worker: where Temporal is, the journal it shares with the Lambda. */
  env: NodeJS.ProcessEnv;
  onChange: (view: LocalWorkerView) => void;
  onLine?: (line: string) => void;
}

export class LocalWorkerProcess {
  private worker?: StartedWorker;
  private view: LocalWorkerView = { state: 'not started', controllable: true };

  constructor(private readonly options: LocalWorkerOptions) {}

  snapshot(): LocalWorkerView {
    return this.view;
  }

  get isAlive(): boolean {
    return this.worker?.isAlive ?? false;
  }

  /** Starts the worker; resolves once it polls (or rejects with its output if it exits first). */
  start(): Promise<void> {
    if (this.isAlive) return Promise.reject(new Error(`the local worker is already running (pid ${this.worker!.pid})`));
    const worker = startLocalWorkerProcess({ env: this.options.env, onLine: this.options.onLine });
    this.worker = worker;
    this.set({ state: 'starting', pid: worker.pid, controllable: true });
    void worker.ready.then(() => {
      if (this.worker === worker) this.set({ state: 'running', pid: worker.pid, controllable: true });
    });
    void worker.exited.then(({ code, signal }) => {
      if (this.worker !== worker) return;
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const state =
        signal === 'SIGKILL' ? 'killed' : code === 0 || this.view.state === 'draining' ? 'stopped' : 'failed';
      this.set({ state, pid: worker.pid, controllable: true, detail: how });
    });
    return worker.ready;
  }

  /** SIGKILL (no goodbye) or SIGINT (Ctrl+C: drain, then hand the rest back to Temporal). */
  kill(signal: 'SIGKILL' | 'SIGINT'): number {
    if (!this.isAlive) throw new Error('the local worker is not running: start it first');
    const pid = this.worker!.kill(signal);
    if (signal === 'SIGINT') this.set({ state: 'draining', pid, controllable: true });
    return pid;
  }

  async close(): Promise<void> {
    if (this.worker) await this.worker.stop();
  }

  private set(view: LocalWorkerView): void {
    this.view = view;
    this.options.onChange(view);
  }
}

/** The demo's local worker: started on the stage, ready once it polls, its activity lines narrated, stopped on cue. */

import type { ChildProcess } from 'node:child_process';
import { isWorkerReadyLine } from '../worker/readiness';
import type { Stage } from './stage';

export interface DemoWorker {
  pid: number;
  /** Everything the worker has printed so far. */
  lines: readonly string[];
  /** Sends the signal (SIGKILL: dies on the spot; SIGINT: drains) and resolves once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

export async function startDemoWorker(
  stage: Stage,
  settings: { address: string; journalPath: string; env?: NodeJS.ProcessEnv },
  narrate: (line: string) => void,
): Promise<DemoWorker> {
  const lines: string[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const env = { TEMPORAL_ADDRESS: settings.address, TEMPORAL_NAMESPACE: 'default', SHOPFLOW_JOURNAL: settings.journalPath, TEMPORAL_PROFILE: '', ...settings.env };
  const child: ChildProcess = stage.startProcess('worker/main.ts', [], env, (line) => {
    lines.push(line);
    if (isWorkerReadyLine(line)) ready();
    if (/ started |done/.test(line)) narrate(line.replace(/\s+workflowId=\S+/, ''));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([isReady, exited.then(() => Promise.reject(new Error(`the local worker exited before it was ready:\n${lines.join('\n')}`)))]);
  return {
    pid: child.pid!,
    lines,
    stop: async (signal) => {
      child.kill(signal);
      await exited;
    },
  };
}

/** The moment to strike: the slow shipment has started, or (other scenarios) the first step is done. */
export function killPointReached(lines: readonly string[], slowScenario: boolean): boolean {
  const point = slowScenario ? /createShipment started/ : /reserveInventory done/;
  return lines.some((line) => point.test(line));
}

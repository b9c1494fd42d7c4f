/**
 * The demo's local worker: the one the presenter console manages (so the page shows it and can kill it), ready once
 * it polls, its lines kept for the story's cues, stopped on cue.
 */

import { waitFor } from '../machinery/plumbing/wait-for';
import type { LocalWorkerProcess } from '../console/sources/local-worker';
import type { Scenario } from '../domain/scenarios';

export interface DemoWorker {
  pid: number;
  /** Everything the worker has printed so far. */
  lines: readonly string[];
  /** Sends the signal (SIGKILL: dies on the spot; SIGINT: drains) and resolves once the process is gone. */
  stop(signal: 'SIGKILL' | 'SIGINT'): Promise<void>;
}

/** Starts the console's worker; `lines` is the array the console's onWorkerLine fills. */
export async function startDemoWorker(worker: LocalWorkerProcess, lines: readonly string[]): Promise<DemoWorker> {
  await worker.start();
  const pid = worker.snapshot().pid!;
  return {
    pid,
    lines,
    stop: async (signal) => {
      // The presenter may have stopped it from the console's page already.
      if (worker.isAlive) worker.kill(signal);
      await waitFor(() => !worker.isAlive, { timeoutMs: 30_000, what: `the local worker (pid ${pid}) to exit` });
    },
  };
}

/**
 * The moment to strike: the slow shipment has started, the long haul's first chunk has, or (other scenarios) the
 * first step is done.
 */
export function killPointReached(lines: readonly string[], scenario: Scenario): boolean {
  const point = KILL_POINTS[scenario] ?? /reserveInventory done/;
  return lines.some((line) => point.test(line));
}

const KILL_POINTS: Partial<Record<Scenario, RegExp>> = {
  slow: /createShipment started/,
  'long-haul': /haulShipmentChunk: /,
};

/** The line the local worker prints once it polls, which whoever starts it (demo, chaos, bench, tests) waits for. */

export const WORKER_READY_TEXT = 'Waiting for orders';

export function isWorkerReadyLine(line: string): boolean {
  return line.includes(WORKER_READY_TEXT);
}

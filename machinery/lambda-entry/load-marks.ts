/**
 * When this execution environment's process started and its handler module loaded (epoch ms), added to the summary
 * of its first invocation only: with the service's Init Duration and the lifecycle's own times they break a cold
 * start into its parts (machinery/bench/cold-start-breakdown.ts). Imported first by the package's entry, so that the time it
 * takes at module evaluation is the entry's start.
 */

import { performance } from 'node:perf_hooks';

export interface LoadMarks {
  /** The process's time origin (Node's `performance.timeOrigin`): before Node's own bootstrap. */
  processStartedAt: number;
  /** The package's entry module started to evaluate. */
  loadStartedAt: number;
  /** The entry had loaded the handler (and turned the compile cache on). */
  loadedAt: number;
}

const loadStartedAt = Date.now();

/** Wraps a handler so that the first summary it returns carries the load marks; later ones do not. */
export function withLoadMarks<E, C, S extends object>(
  handler: (event: E, context: C) => Promise<S>,
  loadedAt: number = Date.now(),
): (event: E, context: C) => Promise<S & { load?: LoadMarks }> {
  let marks: LoadMarks | undefined = { processStartedAt: Math.round(performance.timeOrigin), loadStartedAt, loadedAt };
  return async (event, context) => {
    const current = marks;
    marks = undefined;
    const summary = await handler(event, context);
    return current ? { ...summary, load: current } : summary;
  };
}

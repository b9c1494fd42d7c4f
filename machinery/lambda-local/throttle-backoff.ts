/**
 * When Lambda tries a throttled asynchronous event again: "The retry interval increases exponentially from 1 second
 * after the first attempt to a maximum of 5 minutes" (AWS docs, invocation-async-error-handling), until the event's
 * maximum age. A pure schedule, so it can be tested as a table without a clock.
 */

export interface ThrottleBackoff {
  /** The wait after the first throttled attempt (Lambda: 1 s); it doubles with each further throttle. */
  firstMs: number;
  /** The longest wait (Lambda: 5 minutes). */
  maxMs: number;
}

/** The wait before the next attempt of an event that has now been throttled `throttles` times (1, 2, ...). */
export function throttleRetryDelayMs(throttles: number, backoff: ThrottleBackoff): number {
  if (!Number.isInteger(throttles) || throttles < 1) {
    throw new RangeError(`throttles must be a whole number from 1 (got ${throttles})`);
  }
  // 2 ** 1024 is Infinity, which Math.min turns into the cap: a long-throttled event never overflows.
  return Math.min(backoff.firstMs * 2 ** (throttles - 1), backoff.maxMs);
}

/** Refuses a back-off the service could not keep, naming the problem and the fix. */
export function checkThrottleBackoff(backoff: ThrottleBackoff, where: string): void {
  const { firstMs, maxMs } = backoff;
  if (!Number.isFinite(firstMs) || firstMs <= 0) {
    throw new RangeError(`${where}: the first wait must be more than 0 ms (got ${firstMs}); Lambda's is 1000 ms`);
  }
  if (!Number.isFinite(maxMs) || maxMs < firstMs) {
    throw new RangeError(
      `${where}: the longest wait must be at least the first (got ${maxMs} ms after ${firstMs} ms); Lambda's is 300000 ms`,
    );
  }
}

/** "1 s, doubling to 300 s": how a back-off reads in the service's start-up note. */
export function describeThrottleBackoff(backoff: ThrottleBackoff): string {
  return `${backoff.firstMs / 1000} s, doubling to at most ${backoff.maxMs / 1000} s`;
}

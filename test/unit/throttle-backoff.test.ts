/** Issue 21: a throttled asynchronous event is tried again after 1 s, doubling, at most 5 minutes apart (Lambda's). */

import { LOCAL_LAMBDA_DEFAULTS } from '../../machinery/lambda-local/settings';
import {
  checkThrottleBackoff,
  describeThrottleBackoff,
  throttleRetryDelayMs,
} from '../../machinery/lambda-local/throttle-backoff';

const LAMBDAS = LOCAL_LAMBDA_DEFAULTS.asyncThrottleBackoff;

test("the default back-off is Lambda's: from 1 s after the first attempt to a maximum of 5 minutes", () => {
  expect(LAMBDAS).toEqual({ firstMs: 1_000, maxMs: 300_000 });
});

test.each([
  [1, 1_000],
  [2, 2_000],
  [3, 4_000],
  [4, 8_000],
  [8, 128_000],
  [9, 256_000],
  [10, 300_000], // 512 s, capped
  [11, 300_000],
  [2_000, 300_000], // 2 ** 1999 is Infinity: still the cap, never NaN
])('throttled %i time(s): the next attempt comes %i ms later', (throttles, delayMs) => {
  expect(throttleRetryDelayMs(throttles, LAMBDAS)).toBe(delayMs);
});

test('a shortened back-off doubles the same way up to its own cap', () => {
  const short = { firstMs: 100, maxMs: 500 };
  expect([1, 2, 3, 4, 5].map((n) => throttleRetryDelayMs(n, short))).toEqual([100, 200, 400, 500, 500]);
});

test("within Lambda's 6-hour maximum event age a throttled event is tried again 79 times", () => {
  let waitedMs = 0;
  let throttles = 0;
  while (waitedMs + throttleRetryDelayMs(throttles + 1, LAMBDAS) <= LOCAL_LAMBDA_DEFAULTS.maxEventAgeMs) {
    throttles += 1;
    waitedMs += throttleRetryDelayMs(throttles, LAMBDAS);
  }
  // 1+2+...+256 s = 511 s, then every 300 s: (21 600 - 511) / 300 = 70 more.
  expect(throttles).toBe(9 + 70);
});

test.each([0, -5, 1.5, Number.NaN])('a throttle count of %p is refused', (throttles) => {
  expect(() => throttleRetryDelayMs(throttles, LAMBDAS)).toThrow(/throttles must be a whole number from 1/);
});

test.each([
  [{ firstMs: 0, maxMs: 1_000 }, "the first wait must be more than 0 ms (got 0); Lambda's is 1000 ms"],
  [
    { firstMs: 2_000, maxMs: 1_000 },
    "the longest wait must be at least the first (got 1000 ms after 2000 ms); Lambda's is 300000 ms",
  ],
  [{ firstMs: 100, maxMs: Number.POSITIVE_INFINITY }, 'the longest wait must be at least the first (got Infinity ms'],
])('a back-off the service could not keep is refused with the fix: %j', (backoff, message) => {
  expect(() => checkThrottleBackoff(backoff, 'asyncThrottleBackoff')).toThrow(`asyncThrottleBackoff: ${message}`);
});

test('a back-off reads as its first wait and its cap', () => {
  expect(describeThrottleBackoff(LAMBDAS)).toBe('1 s, doubling to at most 300 s');
  expect(describeThrottleBackoff({ firstMs: 100, maxMs: 2_000 })).toBe('0.1 s, doubling to at most 2 s');
});

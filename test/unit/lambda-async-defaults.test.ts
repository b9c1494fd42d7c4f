/** Issue 21: the local Lambda service's defaults are Lambda's, and anything shorter is said at start. */

import { departuresFromLambda } from '../../machinery/lambda-local/local-lambda';
import { DEFAULT_SERVICE_OPTIONS } from '../../machinery/lambda-local/lambda-service';
import { LOCAL_LAMBDA_DEFAULTS } from '../../machinery/lambda-local/settings';

test('by default a failed event is retried after one and two minutes, a throttled one after 1 s doubling to 5 minutes, INIT is capped at 10 s, no duplicates', () => {
  expect(LOCAL_LAMBDA_DEFAULTS.asyncRetryDelaysMs).toEqual([60_000, 120_000]);
  expect(LOCAL_LAMBDA_DEFAULTS.maxInitMs).toBe(10_000);
  expect(LOCAL_LAMBDA_DEFAULTS.duplicateEvents).toBe(0);
  expect(DEFAULT_SERVICE_OPTIONS).toMatchObject({
    asyncRetryDelaysMs: [60_000, 120_000],
    asyncThrottleBackoff: { firstMs: 1_000, maxMs: 300_000 },
    maxInitMs: 10_000,
  });
  expect(departuresFromLambda({})).toEqual([]);
  expect(
    departuresFromLambda({
      asyncRetryDelaysMs: [60_000, 120_000],
      asyncThrottleBackoff: { firstMs: 1_000, maxMs: 300_000 },
      maxInitMs: 10_000,
      duplicateEvents: 0,
    }),
  ).toEqual([]);
});

test('shorter retries and back-off, duplicate delivery and a shorter INIT cap are each said once', () => {
  expect(
    departuresFromLambda({
      asyncRetryDelaysMs: [300, 300],
      asyncThrottleBackoff: { firstMs: 100, maxMs: 2_000 },
      duplicateEvents: 0.5,
      maxInitMs: 1_000,
    }),
  ).toEqual([
    'Local Lambda: asynchronous retries after 0.3 s and 0.3 s (AWS: about 1 and 2 minutes)',
    'Local Lambda: a throttled asynchronous event is tried again after 0.1 s, doubling to at most 2 s (AWS: 1 s, doubling to at most 300 s)',
    'Local Lambda: 50% of asynchronous events are delivered twice (AWS: a function may "receive the same event from Lambda multiple times")',
    'Local Lambda: the Init phase is limited to 1 s (AWS: 10 seconds)',
  ]);
});

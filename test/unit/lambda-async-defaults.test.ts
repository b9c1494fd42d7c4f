/** Issue 21: the local Lambda service's defaults are Lambda's, and anything shorter is said at start. */

import { departuresFromLambda } from '../../machinery/lambda-local/local-lambda';
import { DEFAULT_SERVICE_OPTIONS } from '../../machinery/lambda-local/lambda-service';
import { LOCAL_LAMBDA_DEFAULTS } from '../../machinery/lambda-local/settings';

test('by default a failed event is retried after one and two minutes, INIT is capped at 10 s, no duplicates', () => {
  expect(LOCAL_LAMBDA_DEFAULTS.asyncRetryDelaysMs).toEqual([60_000, 120_000]);
  expect(LOCAL_LAMBDA_DEFAULTS.maxInitMs).toBe(10_000);
  expect(LOCAL_LAMBDA_DEFAULTS.duplicateEvents).toBe(0);
  expect(DEFAULT_SERVICE_OPTIONS).toMatchObject({ asyncRetryDelaysMs: [60_000, 120_000], maxInitMs: 10_000 });
  expect(departuresFromLambda({})).toEqual([]);
  expect(
    departuresFromLambda({ asyncRetryDelaysMs: [60_000, 120_000], maxInitMs: 10_000, duplicateEvents: 0 }),
  ).toEqual([]);
});

test('shorter retries, duplicate delivery and a shorter INIT cap are each said once', () => {
  expect(departuresFromLambda({ asyncRetryDelaysMs: [300, 300], duplicateEvents: 0.5, maxInitMs: 1_000 })).toEqual([
    'Local Lambda: asynchronous retries after 0.3 s and 0.3 s (AWS: about 1 and 2 minutes)',
    'Local Lambda: 50% of asynchronous events are delivered twice (AWS: a function may "receive the same event from Lambda multiple times")',
    'Local Lambda: the Init phase is limited to 1 s (AWS: 10 seconds)',
  ]);
});

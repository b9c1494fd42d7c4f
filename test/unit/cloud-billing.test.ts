/**
 * Cloud mode's "This run" cost: the REPORT lines' billed spans (INIT included, as Lambda bills it since 2025-08-01)
 * win over CloudWatch's Duration metric, which leaves INIT out; the metric is the fallback until the lines are read.
 */

import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ConsoleHub } from '../../console/console-hub';
import type { MetricsView } from '../../console/console-types';
import { LambdaMetricsSource } from '../../console/sources/lambda-metrics-source';

const START = Date.UTC(2026, 11, 2, 12, 0, 0);

/** CloudWatch answers one bucket with 1 invocation of 2000 ms Duration (the INIT of 800 ms is not in it). */
function source(reported?: (since: number) => number | undefined) {
  let metrics: MetricsView | undefined;
  const cloudwatch = {
    send: async () => ({
      MetricDataResults: [
        { Id: 'invocations', Timestamps: [new Date(START)], Values: [1] },
        { Id: 'duration', Timestamps: [new Date(START)], Values: [2000] },
      ],
    }),
  } as unknown as CloudWatchClient;
  const lambda = { send: async () => ({ MemorySize: 1024 }) } as unknown as LambdaClient;
  const hub = {
    setMetrics: (m: MetricsView) => void (metrics = m),
    updateWorkers: () => undefined,
    record: () => undefined,
  } as unknown as ConsoleHub;
  const made = new LambdaMetricsSource({
    cloudwatch,
    lambda,
    functionName: 'shopflow-worker',
    bucketSeconds: 60,
    refreshMs: 60_000,
    billing: 'duration-times-memory',
    reportedGbSeconds: reported,
    sourceLabel: 'CloudWatch (us-east-1)',
    fixHint: '',
    startedAt: START,
    alwaysOn: { label: 'vm', usdPerHour: 0.0208 },
    hub,
  });
  return { made, metrics: () => metrics! };
}

test('with the REPORT lines read, the cost counts their billed GB-s, INIT included', async () => {
  const seen: number[] = [];
  const { made, metrics } = source((since) => (seen.push(since), 2.8));
  await made.refresh(START + 30_000);
  expect(metrics().cost.billedGbSeconds).toBe(2.8);
  expect(seen).toEqual([START]);
});

test('before they are read (or when they cannot be), Duration x memory: 2 s at 1 GB', async () => {
  const { made, metrics } = source(() => undefined);
  await made.refresh(START + 30_000);
  expect(metrics().cost.billedGbSeconds).toBe(2);
});

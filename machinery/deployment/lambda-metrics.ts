/** Reads a function's Lambda metrics per time bucket with CloudWatch GetMetricData (AWS, or the local service). */

import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';

export interface MetricsRow {
  time: Date;
  invocations: number;
  errors: number;
  throttles: number;
  concurrency: number;
  avgDurationMs: number;
}

const QUERIES: { id: keyof Omit<MetricsRow, 'time'>; metric: string; stat: string }[] = [
  { id: 'invocations', metric: 'Invocations', stat: 'Sum' },
  { id: 'errors', metric: 'Errors', stat: 'Sum' },
  { id: 'throttles', metric: 'Throttles', stat: 'Sum' },
  { id: 'concurrency', metric: 'ConcurrentExecutions', stat: 'Maximum' },
  { id: 'avgDurationMs', metric: 'Duration', stat: 'Average' },
];

export async function readLambdaMetrics(
  client: CloudWatchClient,
  functionName: string,
  minutes: number,
  periodSeconds: number,
  now = new Date(),
): Promise<MetricsRow[]> {
  const end = new Date(Math.ceil(now.getTime() / (periodSeconds * 1000)) * periodSeconds * 1000);
  const start = new Date(end.getTime() - minutes * 60_000);
  const queries: MetricDataQuery[] = QUERIES.map((q) => ({
    Id: q.id.toLowerCase(),
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: q.metric,
        Dimensions: [{ Name: 'FunctionName', Value: functionName }],
      },
      Period: periodSeconds,
      Stat: q.stat,
    },
  }));
  const { MetricDataResults = [] } = await client.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: queries,
      ScanBy: 'TimestampAscending',
    }),
  );
  // CloudWatch omits empty buckets; every bucket is shown, so a quiet minute reads as 0.
  const rows = new Map<number, MetricsRow>();
  for (let t = start.getTime(); t < end.getTime(); t += periodSeconds * 1000) {
    rows.set(t, { time: new Date(t), invocations: 0, errors: 0, throttles: 0, concurrency: 0, avgDurationMs: 0 });
  }
  for (const q of QUERIES) {
    const result = MetricDataResults.find((r) => r.Id === q.id.toLowerCase());
    result?.Timestamps?.forEach((timestamp, i) => {
      const row = rows.get(timestamp.getTime());
      if (row) row[q.id] = result.Values?.[i] ?? 0;
    });
  }
  return [...rows.values()];
}

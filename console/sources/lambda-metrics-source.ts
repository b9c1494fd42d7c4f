/**
 * The chart's data: the function's Invocations, Errors, Throttles and ConcurrentExecutions per bucket from
 * CloudWatch GetMetricData (AWS, or the local Lambda service, which implements it), and the billed GB-seconds the
 * cost panel needs. Reading metrics never touches Temporal, so it wakes no worker.
 */

import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CONSOLE_CHART_WINDOW_MINUTES } from '../../config/console';
import type { ConsoleHub } from '../console-hub';
import type { MetricsBucket } from '../console-types';
import { computeCost, type AlwaysOnPrice } from '../cost';

export interface LambdaMetricsSourceOptions {
  cloudwatch: CloudWatchClient;
  lambda: LambdaClient;
  functionName: string;
  bucketSeconds: number;
  refreshMs: number;
  /**
   * Local: the service reports BilledGBSeconds itself. Cloud: the REPORT lines' billed spans (`reportedGbSeconds`,
   * INIT included, as Lambda bills it), or else Duration (ms) × memory, which leaves INIT out.
   */
  billing: 'local-metric' | 'duration-times-memory';
  reportedGbSeconds?: (since: number) => number | undefined;
  /** Where the figures come from, for the page. */
  sourceLabel: string;
  /** How to fix it when the source does not answer. */
  fixHint: string;
  startedAt: number;
  alwaysOn: AlwaysOnPrice;
  hub: ConsoleHub;
}

const QUERIES = [
  { id: 'invocations', namespace: 'AWS/Lambda', metric: 'Invocations', stat: 'Sum' },
  { id: 'errors', namespace: 'AWS/Lambda', metric: 'Errors', stat: 'Sum' },
  { id: 'throttles', namespace: 'AWS/Lambda', metric: 'Throttles', stat: 'Sum' },
  { id: 'concurrency', namespace: 'AWS/Lambda', metric: 'ConcurrentExecutions', stat: 'Maximum' },
  { id: 'duration', namespace: 'AWS/Lambda', metric: 'Duration', stat: 'Sum' },
  { id: 'gbs', namespace: 'ShopFlow/LocalLambda', metric: 'BilledGBSeconds', stat: 'Sum' },
] as const;

type Row = MetricsBucket & { durationMs: number; gbs: number };

export class LambdaMetricsSource {
  /** Every bucket seen since the console started: the cost covers the whole run, the chart its last minutes. */
  private readonly rows = new Map<number, Row>();
  private memoryMb?: number;
  private timer?: NodeJS.Timeout;
  private lastError?: string;

  constructor(private readonly options: LambdaMetricsSourceOptions) {}

  start(): void {
    const tick = async () => {
      await this.refresh();
      if (this.timer !== undefined) this.timer = setTimeout(() => void tick(), this.options.refreshMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async refresh(now = Date.now()): Promise<void> {
    const period = this.options.bucketSeconds * 1000;
    const end = Math.ceil((now + 1) / period) * period;
    const chartStart = Math.max(
      Math.floor(this.options.startedAt / period) * period - period,
      end - CONSOLE_CHART_WINDOW_MINUTES * 60_000,
    );
    let error: string | undefined;
    try {
      this.memoryMb ??= await this.readMemory();
      await this.readBuckets(chartStart, end);
      this.lastError = undefined;
    } catch (err) {
      error = `metrics from ${this.options.sourceLabel}: ${(err as Error).message} (${this.options.fixHint})`;
      if (error !== this.lastError) this.options.hub.record('error', error);
      this.lastError = error;
    }
    this.publish(now, chartStart, error);
  }

  /** One GetMetricData call for the chart's window, into this.rows. */
  private async readBuckets(chartStart: number, end: number): Promise<void> {
    const { bucketSeconds, functionName } = this.options;
    const period = bucketSeconds * 1000;
    const queries: MetricDataQuery[] = QUERIES.filter(
      (q) => q.id !== 'gbs' || this.options.billing === 'local-metric',
    ).map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.metric,
          Dimensions: [{ Name: 'FunctionName', Value: functionName }],
        },
        Period: bucketSeconds,
        Stat: q.stat,
      },
    }));
    const { MetricDataResults = [] } = await this.options.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(chartStart),
        EndTime: new Date(end),
        MetricDataQueries: queries,
        ScanBy: 'TimestampAscending',
      }),
    );
    // CloudWatch leaves out empty buckets: every bucket is kept, so a quiet one reads 0.
    for (let t = chartStart; t < end; t += period) {
      this.rows.set(t, { t, invocations: 0, errors: 0, throttles: 0, concurrency: 0, durationMs: 0, gbs: 0 });
    }
    for (const result of MetricDataResults) {
      const key =
        ({ duration: 'durationMs' } as Record<string, keyof Row>)[result.Id ?? ''] ?? (result.Id as keyof Row);
      result.Timestamps?.forEach((timestamp, i) => {
        const row = this.rows.get(timestamp.getTime());
        if (row) row[key] = result.Values?.[i] ?? 0;
      });
    }
  }

  /** GB-seconds billed since the console started: the local metric, the REPORT lines, or duration × memory. */
  private billedGbSeconds(sinceStart: Row[]): number {
    if (this.options.billing === 'local-metric') return sinceStart.reduce((sum, r) => sum + r.gbs, 0);
    return (
      this.options.reportedGbSeconds?.(this.options.startedAt) ??
      (sinceStart.reduce((sum, r) => sum + r.durationMs, 0) / 1000) * ((this.memoryMb ?? 0) / 1024)
    );
  }

  /** The chart's buckets and the cost since the start, to the page; the latest concurrency to the workers panel. */
  private publish(now: number, chartStart: number, error: string | undefined): void {
    const { bucketSeconds, functionName, hub } = this.options;
    const period = bucketSeconds * 1000;
    const sinceStart = [...this.rows.values()].filter((r) => r.t + period > this.options.startedAt);
    const requests = sinceStart.reduce((sum, r) => sum + r.invocations, 0);
    const buckets = [...this.rows.values()]
      .filter((r) => r.t >= chartStart)
      .sort((a, b) => a.t - b.t)
      .map(({ t, invocations, errors, throttles, concurrency }) => ({
        t,
        invocations,
        errors,
        throttles,
        concurrency,
      }));
    hub.setMetrics({
      functionName,
      bucketSeconds,
      source: this.options.sourceLabel,
      buckets,
      error,
      cost: computeCost({
        requests,
        billedGbSeconds: this.billedGbSeconds(sinceStart),
        memoryMb: this.memoryMb,
        wallSeconds: (now - this.options.startedAt) / 1000,
        alwaysOn: this.options.alwaysOn,
      }),
    });
    hub.updateWorkers({ concurrentExecutions: buckets[buckets.length - 1]?.concurrency ?? 0 });
  }

  private async readMemory(): Promise<number | undefined> {
    try {
      const config = await this.options.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: this.options.functionName }),
      );
      return config.MemorySize;
    } catch {
      return undefined; // not deployed yet: asked again on the next refresh
    }
  }
}

/**
 * CloudWatch-like metrics for the local functions, per time bucket: Invocations, Errors, Throttles, Duration,
 * ConcurrentExecutions (AWS/Lambda's names), plus what CloudWatch does not chart but a demo wants to show:
 * cold starts and billed GB-seconds (namespace ShopFlow/LocalLambda).
 */

export interface InvocationSample {
  requestId: string;
  functionName: string;
  startedAt: number;
  endedAt: number;
  error: boolean;
  coldStart: boolean;
  memoryMb: number;
  /** The environment's peak resident memory at the invocation's end (REPORT's Max Memory Used). */
  maxMemoryUsedMb?: number;
  /** The function's response (its start), like an async destination's responsePayload; absent on errors. */
  response?: string;
  /** The execution environment that ran it (the console's timeline draws one lane per environment). */
  environmentId?: string;
  /** A cold start's Init Duration (REPORT's figure): starting the runtime and loading the handler. */
  initDurationMs?: number;
  /** Why it failed (Runtime.ExitError, Sandbox.Timedout, ...); absent when it succeeded. */
  errorType?: string;
}

/** An invocation still running: what /local/invocations reports before its end is known. */
export interface RunningInvocation {
  requestId: string;
  functionName: string;
  startedAt: number;
  environmentId?: string;
}

/** One function's invocations as GET /local/invocations reports them (the console's timeline reads it). */
export interface LocalInvocationsReport {
  functionName: string;
  memoryMb: number;
  finished: {
    requestId: string;
    startedAt: number;
    endedAt: number;
    memoryMb: number;
    environmentId?: string;
    initDurationMs?: number;
    errorType?: string;
    /** The start of the handler's response: the Lambda worker's InvocationSummary, as JSON. */
    response?: string;
  }[];
  running: { requestId: string; startedAt: number; environmentId?: string }[];
}

/** Lambda bills each invocation's duration rounded up to the millisecond (at least 1)... */
export function billedMs(sample: Pick<InvocationSample, 'startedAt' | 'endedAt'>): number {
  return Math.max(1, Math.ceil(sample.endedAt - sample.startedAt));
}

/** ...times its memory in GB. */
export function billedGBSeconds(sample: Pick<InvocationSample, 'startedAt' | 'endedAt' | 'memoryMb'>): number {
  return (billedMs(sample) / 1000) * (sample.memoryMb / 1024);
}

/** The most of these [start, end) spans that overlap at any moment. */
export function peakOverlap(spans: readonly (readonly [number, number])[]): number {
  const edges = spans
    .flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

/** Enough of a response to read a summary from; a function's full 6 MB response is not kept. */
export const KEPT_RESPONSE_CHARS = 2048;

export const LAMBDA_METRICS = ['Invocations', 'Errors', 'Throttles', 'Duration', 'ConcurrentExecutions'] as const;
export const LOCAL_METRICS = ['ColdStarts', 'BilledGBSeconds'] as const;
export type MetricName = (typeof LAMBDA_METRICS)[number] | (typeof LOCAL_METRICS)[number];
export type Statistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';

export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

export class MetricsRecorder {
  private readonly invocations: InvocationSample[] = [];
  private readonly throttles: { functionName: string; at: number }[] = [];
  /** Invocations running now, for ConcurrentExecutions of the current bucket. */
  private readonly running = new Map<string, RunningInvocation>();

  started(id: string, functionName: string, environmentId?: string): void {
    this.running.set(id, { requestId: id, functionName, startedAt: Date.now(), environmentId });
  }

  finished(id: string, sample: Omit<InvocationSample, 'requestId' | 'startedAt' | 'endedAt'>): InvocationSample {
    const run = this.running.get(id);
    this.running.delete(id);
    const full = { ...sample, requestId: id, startedAt: run?.startedAt ?? Date.now(), endedAt: Date.now() };
    this.invocations.push(full);
    return full;
  }

  throttled(functionName: string): void {
    this.throttles.push({ functionName, at: Date.now() });
  }

  /** Every finished invocation of a function, oldest first (the benchmark bills them one by one). */
  invocationsOf(functionName: string): InvocationSample[] {
    return this.invocations.filter((i) => i.functionName === functionName);
  }

  /** The invocations of a function running right now, oldest first. */
  runningOf(functionName: string): RunningInvocation[] {
    return [...this.running.values()].filter((r) => r.functionName === functionName);
  }

  /** Invocations of a function running right now. */
  concurrency(functionName: string): number {
    return [...this.running.values()].filter((r) => r.functionName === functionName).length;
  }

  /** One value per bucket of `periodSeconds` from start to end (epoch ms), oldest first; empty buckets are 0. */
  series(
    functionName: string,
    metric: MetricName,
    stat: Statistic,
    startMs: number,
    endMs: number,
    periodSeconds: number,
  ): MetricSeries {
    const period = periodSeconds * 1000;
    const first = Math.floor(startMs / period) * period;
    const timestamps: number[] = [];
    const values: number[] = [];
    const now = Date.now();
    for (let bucket = first; bucket < endMs; bucket += period) {
      const bucketEnd = bucket + period;
      const ended = this.invocations.filter(
        (i) => i.functionName === functionName && i.endedAt >= bucket && i.endedAt < bucketEnd,
      );
      let samples: number[];
      switch (metric) {
        case 'Invocations':
          samples = ended.map(() => 1);
          break;
        case 'Errors':
          samples = ended.map((i) => (i.error ? 1 : 0));
          break;
        case 'Throttles':
          samples = this.throttles
            .filter((t) => t.functionName === functionName && t.at >= bucket && t.at < bucketEnd)
            .map(() => 1);
          break;
        case 'Duration':
          samples = ended.map((i) => i.endedAt - i.startedAt);
          break;
        case 'ColdStarts':
          samples = ended.map((i) => (i.coldStart ? 1 : 0));
          break;
        case 'BilledGBSeconds':
          samples = ended.map(billedGBSeconds);
          break;
        case 'ConcurrentExecutions':
          samples = [this.peakConcurrency(functionName, bucket, Math.min(bucketEnd, now))];
          break;
      }
      timestamps.push(bucket);
      values.push(aggregate(samples, stat));
    }
    return { timestamps, values };
  }

  /** The most invocations of the function that overlapped at any moment of [from, to). */
  private peakConcurrency(functionName: string, from: number, to: number): number {
    const spans = [
      ...this.invocations.filter((i) => i.functionName === functionName).map((i) => [i.startedAt, i.endedAt] as const),
      ...[...this.running.values()]
        .filter((r) => r.functionName === functionName)
        .map((r) => [r.startedAt, Date.now()] as const),
    ].filter(([s, e]) => s < to && e >= from);
    return peakOverlap(spans.map(([s, e]) => [Math.max(s, from), e] as const));
  }
}

function aggregate(samples: number[], stat: Statistic): number {
  if (samples.length === 0) return 0;
  switch (stat) {
    case 'Sum':
      return samples.reduce((a, b) => a + b, 0);
    case 'Average':
      return samples.reduce((a, b) => a + b, 0) / samples.length;
    case 'Maximum':
      return Math.max(...samples);
    case 'Minimum':
      return Math.min(...samples);
    case 'SampleCount':
      return samples.length;
  }
}

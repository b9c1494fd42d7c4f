/**
 * CloudWatch's GetMetricData (AWS JSON 1.0) for `npm run metrics`: the AWS/Lambda metrics and the local extras, from
 * what the local service recorded. The caller's signature and permission are checked before (http-api.ts).
 */

import { LambdaApiError } from './aws-errors';
import type { Reply } from './http-reply';
import { checkMetricDataRequest, type MetricDataRequest } from './metric-data-request';
import type { MetricsRecorder } from './metrics';
import { parseJsonObject } from './request-body';

/** The reply to the CloudWatch call `target` names (only GetMetricData is answered). */
export function getMetricData(target: string, body: Buffer, metrics: MetricsRecorder): Reply {
  if (!target.endsWith('.GetMetricData')) {
    throw new LambdaApiError(
      400,
      'UnknownOperationException',
      `The local service implements only GetMetricData (got ${target})`,
    );
  }
  const input = checkMetricDataRequest(parseJsonObject<Partial<MetricDataRequest>>(body, 'request body'));
  const results = input.MetricDataQueries.map((query) => {
    const stat = query.MetricStat;
    const fn = stat?.Metric.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value;
    if (!stat || !fn)
      return { Id: query.Id, Label: query.Label ?? query.Id, Timestamps: [], Values: [], StatusCode: 'Complete' };
    const series = metrics.series(
      fn,
      stat.Metric.MetricName,
      stat.Stat,
      input.StartTime * 1000,
      input.EndTime * 1000,
      stat.Period,
    );
    return {
      Id: query.Id,
      Label: query.Label ?? stat.Metric.MetricName,
      Timestamps: series.timestamps.map((t) => t / 1000),
      Values: series.values,
      StatusCode: 'Complete',
    };
  });
  return {
    status: 200,
    body: { MetricDataResults: results, Messages: [] },
    headers: { 'content-type': 'application/x-amz-json-1.0' },
  };
}

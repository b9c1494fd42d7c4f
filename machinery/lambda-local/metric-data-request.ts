/**
 * CloudWatch GetMetricData's input, checked the way CloudWatch checks it before any work is done: a Period of whole
 * seconds (1, 5, 10, 30 or a multiple of 60, an Integer in CloudWatch's model), a time range that ends after it
 * starts, at most 500 queries and at most 100,800 data points in all. Without these, one request with a tiny or
 * negative Period could make the service loop (and allocate) without end.
 */

import { LambdaApiError } from './aws-errors';
import type { MetricName, Statistic } from './metrics';

export const MAX_METRIC_DATA_QUERIES = 500;
export const MAX_DATA_POINTS = 100_800;
const MAX_INTEGER = 2_147_483_647;
const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 30];

export interface MetricDataQuery {
  Id: string;
  Label?: string;
  MetricStat?: {
    Metric: { MetricName: MetricName; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: Statistic;
  };
}

export interface MetricDataRequest {
  MetricDataQueries: MetricDataQuery[];
  /** Epoch seconds, as AWS JSON 1.0 sends timestamps. */
  StartTime: number;
  EndTime: number;
}

const invalidValue = (message: string) => new LambdaApiError(400, 'InvalidParameterValueException', message);
const missing = (message: string) => new LambdaApiError(400, 'MissingRequiredParameterException', message);

/** The request as given, once every part of it is something the service can answer; else CloudWatch's error. */
export function checkMetricDataRequest(input: Partial<MetricDataRequest>): MetricDataRequest {
  const { StartTime: start, EndTime: end } = input;
  if (typeof start !== 'number' || !Number.isFinite(start))
    throw missing('The parameter StartTime is required: a timestamp');
  if (typeof end !== 'number' || !Number.isFinite(end)) throw missing('The parameter EndTime is required: a timestamp');
  if (end <= start)
    throw invalidValue('The parameter StartTime must be less than the parameter EndTime: swap or widen them');
  const queries = input.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0)
    throw missing('The parameter MetricDataQueries is required: one query or more');
  if (queries.length > MAX_METRIC_DATA_QUERIES)
    throw invalidValue(
      `The collection MetricDataQueries must not have more than ${MAX_METRIC_DATA_QUERIES} members (got ${queries.length}): split the request`,
    );
  let dataPoints = 0;
  queries.forEach((query, index) => {
    const period = query?.MetricStat?.Period;
    if (query?.MetricStat === undefined) return;
    const where = `MetricDataQueries.member.${index + 1}.MetricStat.Period`;
    if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period > MAX_INTEGER)
      throw invalidValue(
        `The parameter ${where} must be a whole number of seconds from 1 to ${MAX_INTEGER} (got ${JSON.stringify(period)})`,
      );
    if (!HIGH_RESOLUTION_PERIODS.includes(period) && period % 60 !== 0)
      throw invalidValue(`The parameter ${where} must be 1, 5, 10, 30 or a multiple of 60 (got ${period})`);
    dataPoints += Math.ceil((end - start) / period);
  });
  if (dataPoints > MAX_DATA_POINTS)
    throw new LambdaApiError(
      400,
      'InvalidParameterCombinationException',
      `You have requested up to ${dataPoints} datapoints, which exceeds the limit of ${MAX_DATA_POINTS}: ` +
        'use a longer Period or a shorter time range',
    );
  return input as MetricDataRequest;
}

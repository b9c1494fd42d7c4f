/**
 * Per-order figures of one arrival rate: what its orders' Lambda invocations billed, divided by the orders, and
 * their latencies. Pure, so the arithmetic is tested apart from the bench.
 */

import { billedGBSeconds, type InvocationSample } from '../lambda-local/metrics';
import type { MeasuredRate } from '../../cost/measured-traffic';
import { percentile, round } from './stats';

/** The figures of one rate, in the shape config/measured-traffic.json keeps (cost/measured-traffic.ts). */
export type RateFigures = MeasuredRate;

export function rateFigures(options: {
  ordersPerMinute: number;
  windowS: number;
  /** Every invocation of the function from the rate's first order until its last invocation ended. */
  invocations: readonly InvocationSample[];
  /** Start-to-close of each order that completed. */
  completedLatenciesMs: readonly number[];
  orders: number;
}): RateFigures {
  const { invocations, orders } = options;
  const perOrder = (total: number, digits: number) => (orders > 0 ? round(total / orders, digits) : NaN);
  const billed = invocations.reduce((sum, s) => sum + billedGBSeconds(s), 0);
  const initGbSeconds = invocations.reduce((sum, s) => sum + ((s.initDurationMs ?? 0) / 1000) * (s.memoryMb / 1024), 0);
  const latencies = options.completedLatenciesMs;
  return {
    ordersPerMinute: options.ordersPerMinute,
    orders,
    windowS: round(options.windowS, 1),
    gbSecondsPerOrder: perOrder(billed, 3),
    invocationsPerOrder: perOrder(invocations.length, 3),
    coldStartsPerOrder: perOrder(invocations.filter((s) => s.coldStart).length, 3),
    initGbSecondsPerOrder: perOrder(initGbSeconds, 3),
    latencyP50Ms: latencies.length > 0 ? Math.round(percentile(latencies, 50)) : NaN,
    latencyP95Ms: latencies.length > 0 ? Math.round(percentile(latencies, 95)) : NaN,
    completed: latencies.length,
  };
}

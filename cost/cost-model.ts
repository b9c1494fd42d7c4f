/**
 * "How much are you spending on idle worker capacity today?", for a workload: the serverless worker billed per
 * order from measured figures, against an always-on fleet sized for the peak and billed every hour of the month.
 * Temporal's own charges are the same either way, so they are left out of both sides. Pure.
 */

import { LAMBDA_PRICES, HOURS_PER_MONTH } from '../config/prices';
import type { Workload } from '../config/workload';
import { perOrderAt, type MeasuredTraffic, type PerOrder } from './measured-traffic';

export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface FleetPrice {
  label: string;
  usdPerHour: number;
}

export interface CostAnswer {
  ordersPerMonth: number;
  /** The busy hours' arrival rate, and the peak the fleet is sized for. */
  ordersPerMinute: number;
  peakOrdersPerSecond: number;
  perOrder: PerOrder;
  serverless: { usdPerMonth: number; usdPerOrder: number; gbSecondsPerMonth: number; requestsPerMonth: number };
  alwaysOn: {
    instances: number;
    usdPerMonth: number;
    /** The share of the fleet's capacity the orders use over the month. */
    utilisation: number;
    /** What the idle share of the fleet costs: the always-on bill times one minus its utilisation. */
    idleUsdPerMonth: number;
  };
  /** Which side is cheaper at this workload, and by how much a month. */
  cheaper: 'serverless' | 'always-on';
  savingUsdPerMonth: number;
  formulas: string[];
}

export function lambdaPriceOf(architecture: string) {
  const price = LAMBDA_PRICES.find((p) => p.architecture === architecture);
  if (!price) throw new Error(`no Lambda price for architecture ${architecture}`);
  return price;
}

function money(usd: number): string {
  return usd >= 100 ? `$${usd.toFixed(0)}` : usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

export function costOf(workload: Workload, fleet: FleetPrice, traffic: MeasuredTraffic): CostAnswer {
  const price = lambdaPriceOf(workload.architecture);
  const ordersPerMonth = workload.ordersPerDay * DAYS_PER_MONTH;
  const ordersPerMinute = workload.ordersPerDay / (workload.busyHoursPerDay * 60);
  const perOrder = perOrderAt(traffic, workload.memoryMb, ordersPerMinute);
  const gbSecondsPerOrder = perOrder.billedSeconds * (workload.memoryMb / 1024);
  const usdPerOrder =
    gbSecondsPerOrder * price.usdPerGbSecond + (perOrder.invocations * price.usdPerMillionRequests) / 1_000_000;
  const serverlessUsd = ordersPerMonth * usdPerOrder;

  const peakOrdersPerSecond = (ordersPerMinute / 60) * workload.peakFactor;
  const perInstance = traffic.alwaysOnWorker.ordersPerSecond;
  const instances = Math.max(workload.fleetMinimum, Math.ceil(peakOrdersPerSecond / perInstance));
  const alwaysOnUsd = instances * fleet.usdPerHour * HOURS_PER_MONTH;
  const capacityPerMonth = instances * perInstance * HOURS_PER_MONTH * 3600;
  const utilisation = Math.min(1, ordersPerMonth / capacityPerMonth);
  const idleUsd = alwaysOnUsd * (1 - utilisation);
  const cheaper = serverlessUsd <= alwaysOnUsd ? 'serverless' : 'always-on';

  const formulas = [
    `Orders: ${workload.ordersPerDay} a day over ${workload.busyHoursPerDay} busy h = ${ordersPerMinute.toPrecision(3)} orders/min; ` +
      `${ordersPerMonth.toFixed(0)} a month (${DAYS_PER_MONTH.toFixed(2)} days)`,
    `Serverless (Lambda ${workload.architecture}, ${workload.memoryMb} MB): ${perOrder.billedSeconds.toFixed(2)} billed s/order ` +
      `(${perOrder.basis}) × ${workload.memoryMb}/1024 GB × $${price.usdPerGbSecond}/GB-s + ` +
      `${perOrder.invocations.toFixed(2)} requests/order × $${price.usdPerMillionRequests}/1M = ${money(usdPerOrder)}/order; ` +
      `× ${ordersPerMonth.toFixed(0)} = ${money(serverlessUsd)}/month`,
    `Always-on (${fleet.label}): peak ${peakOrdersPerSecond.toPrecision(3)} orders/s (×${workload.peakFactor}) / ` +
      `${perInstance} orders/s per worker → ${instances} instance(s) (at least ${workload.fleetMinimum}) × ` +
      `$${fleet.usdPerHour}/h × ${HOURS_PER_MONTH} h = ${money(alwaysOnUsd)}/month`,
    `Idle capacity: ${money(alwaysOnUsd)} × (1 − ${(utilisation * 100).toPrecision(2)}% used) = ${money(idleUsd)}/month`,
    "Temporal's own charges (actions, storage) are the same either way and are left out of both sides.",
  ];
  return {
    ordersPerMonth,
    ordersPerMinute,
    peakOrdersPerSecond,
    perOrder,
    serverless: {
      usdPerMonth: serverlessUsd,
      usdPerOrder,
      gbSecondsPerMonth: gbSecondsPerOrder * ordersPerMonth,
      requestsPerMonth: perOrder.invocations * ordersPerMonth,
    },
    alwaysOn: { instances, usdPerMonth: alwaysOnUsd, utilisation, idleUsdPerMonth: idleUsd },
    cheaper,
    savingUsdPerMonth: Math.abs(alwaysOnUsd - serverlessUsd),
    formulas,
  };
}

/**
 * The orders a day at which both sides cost the same, the rest of the workload unchanged; undefined when one side
 * is cheaper over the whole range (1 to 10^9 orders a day). Bisection on a log scale: the serverless side is
 * piecewise in the rate and the fleet steps with the peak, so there is no closed form.
 */
export function breakEvenOrdersPerDay(
  workload: Workload,
  fleet: FleetPrice,
  traffic: MeasuredTraffic,
): number | undefined {
  const gap = (ordersPerDay: number) => {
    const answer = costOf({ ...workload, ordersPerDay }, fleet, traffic);
    return answer.serverless.usdPerMonth - answer.alwaysOn.usdPerMonth;
  };
  let [lo, hi] = [0, 9]; // log10 orders a day
  if (gap(10 ** lo) > 0 || gap(10 ** hi) < 0) return undefined;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (gap(10 ** mid) < 0) lo = mid;
    else hi = mid;
  }
  return 10 ** hi;
}

/** Monthly cost both ways at log-spaced orders a day, for the chart (both curves, same workload otherwise). */
export function costCurve(
  workload: Workload,
  fleet: FleetPrice,
  traffic: MeasuredTraffic,
  fromPerDay = 10,
  toPerDay = 10_000_000,
  points = 61,
): { ordersPerDay: number; serverlessUsd: number; alwaysOnUsd: number }[] {
  const [a, b] = [Math.log10(fromPerDay), Math.log10(toPerDay)];
  return Array.from({ length: points }, (_, i) => {
    const ordersPerDay = 10 ** (a + ((b - a) * i) / (points - 1));
    const answer = costOf({ ...workload, ordersPerDay }, fleet, traffic);
    return { ordersPerDay, serverlessUsd: answer.serverless.usdPerMonth, alwaysOnUsd: answer.alwaysOn.usdPerMonth };
  });
}

/**
 * The arrival-rates section's traffic: which steady rates it tries and when each order of a rate arrives. Defined
 * once here; the section, its flags and its report read them.
 */

/** From a lone order a minute (every invocation starts cold or idles out) to several a second. */
export const ARRIVAL_RATES_PER_MINUTE = [1, 6, 30, 120, 300] as const;
/** Each rate runs this long unless --arrival-window-s says otherwise: five rates fit in about six minutes. */
export const DEFAULT_ARRIVAL_WINDOW_S = 60;
/** A rate too slow to send this many orders in the window sends this many anyway (the window stretches). */
export const MIN_ORDERS_PER_RATE = 2;
/** The function sizes the section deploys unless --arrival-memory-sizes says otherwise: the deploy default. */
export const DEFAULT_ARRIVAL_MEMORY_SIZES = [1769] as const;

export interface ArrivalPlan {
  ordersPerMinute: number;
  orders: number;
  /** Milliseconds from the rate's start at which each order is submitted. */
  offsetsMs: number[];
  /** The window the orders arrived over: the requested one, or longer when MIN_ORDERS_PER_RATE stretched it. */
  windowS: number;
}

/** Evenly spaced arrivals: order i at i / rate, as many as fit in the window (at least MIN_ORDERS_PER_RATE). */
export function arrivalPlan(ordersPerMinute: number, windowS: number): ArrivalPlan {
  const intervalMs = 60_000 / ordersPerMinute;
  const orders = Math.max(MIN_ORDERS_PER_RATE, Math.floor((windowS * 1000) / intervalMs));
  const offsetsMs = Array.from({ length: orders }, (_, i) => Math.round(i * intervalMs));
  return { ordersPerMinute, orders, offsetsMs, windowS: Math.max(windowS, (orders * intervalMs) / 1000) };
}

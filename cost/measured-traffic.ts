/**
 * The serverless side's measured figures: billed GB-s, invocations and latency per order at each arrival rate,
 * from `npm run bench -- --only arrival-rates --save-traffic` (config/measured-traffic.json, with its date, commit
 * and machine). The model interpolates between the measured rates; it never makes a figure up.
 */

export interface MeasuredRate {
  ordersPerMinute: number;
  orders: number;
  windowS: number;
  gbSecondsPerOrder: number;
  invocationsPerOrder: number;
  coldStartsPerOrder: number;
  /** The cold starts' Init Duration (part of the billed time, as Lambda bills INIT) per order. */
  initGbSecondsPerOrder: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** How many of the orders completed (all of them, or the figures are not to be trusted). */
  completed: number;
}

export interface MeasuredFunction {
  memoryMb: number;
  architecture: string;
  rates: MeasuredRate[];
}

export interface MeasuredTraffic {
  date: string;
  commit: string;
  machine: string;
  command: string;
  functions: MeasuredFunction[];
  /** One always-on worker process at realistic latency: what sizes the fleet for the peak. */
  alwaysOnWorker: { ordersPerSecond: number; latencyP50Ms: number };
}

/** What one order costs and takes at a rate: the measured figures, interpolated on a log scale of the rate. */
export interface PerOrder {
  /** Billed seconds per order (GB-s at 1024 MB): scaled to the memory asked for, as billed time barely moves with it. */
  billedSeconds: number;
  invocations: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Where the figures came from: `measured at 1769 MB between 6 and 30 orders/min`. */
  basis: string;
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** The measured function nearest in memory to the one asked about. */
export function nearestFunction(traffic: MeasuredTraffic, memoryMb: number): MeasuredFunction {
  if (traffic.functions.length === 0) throw new Error('config/measured-traffic.json has no measured function');
  return [...traffic.functions].sort((a, b) => Math.abs(a.memoryMb - memoryMb) - Math.abs(b.memoryMb - memoryMb))[0];
}

export function perOrderAt(traffic: MeasuredTraffic, memoryMb: number, ordersPerMinute: number): PerOrder {
  const fn = nearestFunction(traffic, memoryMb);
  const rates = [...fn.rates].sort((a, b) => a.ordersPerMinute - b.ordersPerMinute);
  if (rates.length === 0) throw new Error(`config/measured-traffic.json has no rate for ${fn.memoryMb} MB`);
  const seconds = (r: MeasuredRate) => (r.gbSecondsPerOrder * 1024) / fn.memoryMb;
  const pick = (r: MeasuredRate, basis: string): PerOrder => ({
    billedSeconds: seconds(r),
    invocations: r.invocationsPerOrder,
    latencyP50Ms: r.latencyP50Ms,
    latencyP95Ms: r.latencyP95Ms,
    basis,
  });
  const first = rates[0];
  const last = rates[rates.length - 1];
  // Outside the measured rates the nearest measurement stands: slower traffic costs no more per order than a lone
  // order (each has its own invocation), faster traffic is charged at the fastest rate measured.
  if (ordersPerMinute <= first.ordersPerMinute)
    return pick(
      first,
      `measured at ${fn.memoryMb} MB, ${first.ordersPerMinute} orders/min (the slowest rate measured)`,
    );
  if (ordersPerMinute >= last.ordersPerMinute)
    return pick(last, `measured at ${fn.memoryMb} MB, ${last.ordersPerMinute} orders/min (the fastest rate measured)`);
  const upper = rates.findIndex((r) => r.ordersPerMinute >= ordersPerMinute);
  const [lo, hi] = [rates[upper - 1], rates[upper]];
  const t = Math.log(ordersPerMinute / lo.ordersPerMinute) / Math.log(hi.ordersPerMinute / lo.ordersPerMinute);
  return {
    billedSeconds: lerp(seconds(lo), seconds(hi), t),
    invocations: lerp(lo.invocationsPerOrder, hi.invocationsPerOrder, t),
    latencyP50Ms: lerp(lo.latencyP50Ms, hi.latencyP50Ms, t),
    latencyP95Ms: lerp(lo.latencyP95Ms, hi.latencyP95Ms, t),
    basis: `measured at ${fn.memoryMb} MB between ${lo.ordersPerMinute} and ${hi.ordersPerMinute} orders/min`,
  };
}

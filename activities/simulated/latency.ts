/** How long each simulated service call takes, before scaling. Close to what real payment and carrier APIs take. */

import type { Compensation, ForwardStep } from '../../domain/steps';

export type LatencyProfile = Readonly<Record<ForwardStep | Compensation, number>>;

export const REALISTIC_LATENCY_MS: LatencyProfile = {
  reserveInventory: 300,
  chargeCustomer: 700,
  createShipment: 900,
  notifyCustomer: 250,
  releaseInventory: 200,
  refundPayment: 400,
  cancelShipment: 300,
};

/** Scales every latency: 0 makes the services instant (benchmarks, fast tests), 1 is realistic. */
export function scaledLatency(scale: number, base: LatencyProfile = REALISTIC_LATENCY_MS): LatencyProfile {
  return Object.fromEntries(Object.entries(base).map(([k, ms]) => [k, Math.round(ms * scale)])) as LatencyProfile;
}

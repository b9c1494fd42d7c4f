/** Named demo scenarios and the faults each one injects. */

import type { FaultPlan } from './faults';

export const SCENARIOS = [
  'happy',
  'decline',
  'out-of-stock',
  'bad-address',
  'shipping-outage',
  'notify-outage',
  'slow',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SLOW_STEP_DURATION_MS = 20_000;
export const SHIPPING_OUTAGE_ATTEMPTS = 3;

export const SCENARIO_DESCRIPTIONS: Readonly<Record<Scenario, string>> = {
  happy: 'every step succeeds',
  decline: 'the card is declined: inventory is released',
  'out-of-stock': 'an item is out of stock: nothing to charge, nothing to ship',
  'bad-address': 'the carrier rejects the address: payment refunded, inventory released',
  'shipping-outage': `the carrier is down for ${SHIPPING_OUTAGE_ATTEMPTS} attempts, then the retry succeeds`,
  'notify-outage': 'the notification service is down: the order still completes, the failure is recorded',
  slow: `creating the shipment takes ${SLOW_STEP_DURATION_MS / 1000} s: time to kill the worker mid-activity`,
};

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);
}

/** The faults a scenario injects; an order's own `faults` are layered on top. */
export function scenarioFaults(scenario: Scenario, firstSku: string): FaultPlan {
  switch (scenario) {
    case 'happy':
      return {};
    case 'decline':
      return { declinePayment: true };
    case 'out-of-stock':
      return { outOfStockSkus: [firstSku] };
    case 'bad-address':
      return { rejectAddress: true };
    case 'shipping-outage':
      return { transientFailures: { createShipment: SHIPPING_OUTAGE_ATTEMPTS } };
    case 'notify-outage':
      return { notificationDown: true };
    case 'slow':
      return { slowStep: { step: 'createShipment', durationMs: SLOW_STEP_DURATION_MS } };
  }
}

/** The faults the simulated services act out for an order: its scenario's, overlaid with its own `faults`. */
export function faultsFor(order: { scenario?: Scenario; faults?: FaultPlan; items: { sku: string }[] }): FaultPlan {
  const base = scenarioFaults(order.scenario ?? 'happy', order.items[0]?.sku ?? '');
  return { ...base, ...order.faults };
}

/** How an order of this scenario must end; the starter, the demo and the chaos run check it. */
export function expectedOutcome(scenario: Scenario): 'COMPLETED' | 'FAILED' {
  return scenario === 'decline' || scenario === 'out-of-stock' || scenario === 'bad-address' ? 'FAILED' : 'COMPLETED';
}

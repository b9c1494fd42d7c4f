/** Named demo scenarios and the faults each one injects. */

import { InvalidAddress, OutOfStock, PaymentDeclined, type BusinessFailureType } from './errors';
import type { FaultPlan } from './faults';

export const SCENARIOS = [
  'happy',
  'decline',
  'out-of-stock',
  'bad-address',
  'shipping-outage',
  'notify-outage',
  'slow',
  'long-haul',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SLOW_STEP_DURATION_MS = 20_000;
export const SHIPPING_OUTAGE_ATTEMPTS = 3;
/** The long-haul shipment without the order's own `longHaulMs`: 4.5 of config's LONG_HAUL_CHUNK_MS (a unit test checks). */
export const LONG_HAUL_DEFAULT_MS = 18_000;

export const SCENARIO_DESCRIPTIONS: Readonly<Record<Scenario, string>> = {
  happy: 'every step succeeds',
  decline: 'the card is declined: inventory is released',
  'out-of-stock': 'an item is out of stock: nothing to charge, nothing to ship',
  'bad-address': 'the carrier rejects the address: payment refunded, inventory released',
  'shipping-outage': `the carrier is down for ${SHIPPING_OUTAGE_ATTEMPTS} attempts, then the retry succeeds`,
  'notify-outage': 'the notification service is down: the order still completes, the failure is recorded',
  slow: `creating the shipment takes ${SLOW_STEP_DURATION_MS / 1000} s: time to kill the worker mid-activity`,
  'long-haul':
    `the shipment takes ${LONG_HAUL_DEFAULT_MS / 1000} s (or the order's longHaulMs) in bounded chunks, ` +
    'each its own activity: a step longer than a Lambda invocation lives',
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
    case 'long-haul':
      return {}; // The haul is the workflow's chunk loop (workflows/long-haul.ts), not a fault.
  }
}

/** The faults the simulated services act out for an order: its scenario's, overlaid with its own `faults`. */
export function faultsFor(order: { scenario?: Scenario; faults?: FaultPlan; items: { sku: string }[] }): FaultPlan {
  const base = scenarioFaults(order.scenario ?? 'happy', order.items[0]?.sku ?? '');
  return { ...base, ...order.faults };
}

/** The business failure an order of this scenario ends with; the other scenarios complete. */
const SCENARIO_FAILURES: Readonly<Partial<Record<Scenario, BusinessFailureType>>> = {
  decline: PaymentDeclined,
  'out-of-stock': OutOfStock,
  'bad-address': InvalidAddress,
};

/** The failure type an order of this scenario must fail with; undefined when it must complete. */
export function expectedFailureType(scenario: Scenario): BusinessFailureType | undefined {
  return SCENARIO_FAILURES[scenario];
}

/** How an order of this scenario must end; the starter, the demo and the chaos run check it. */
export function expectedOutcome(scenario: Scenario): 'COMPLETED' | 'FAILED' {
  return expectedFailureType(scenario) ? 'FAILED' : 'COMPLETED';
}

/**
 * How an order's ending differs from what its scenario implies, in words, or undefined when it matches. A failed
 * order must also have failed for the scenario's reason: a declined card, not retries worn out by an outage.
 */
export function unexpectedEnding(
  scenario: Scenario,
  ending: { state?: string; failureType?: string },
): string | undefined {
  const state = expectedOutcome(scenario);
  if (ending.state !== state) return `the scenario expects ${state}`;
  const failureType = expectedFailureType(scenario);
  if (failureType && ending.failureType !== failureType)
    return `the scenario expects ${state} with ${failureType}, not ${ending.failureType ?? 'no failure type'}`;
  return undefined;
}

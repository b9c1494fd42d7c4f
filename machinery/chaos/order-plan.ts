/**
 * The orders of a chaos run: every scenario in turn (in a seeded order), a share of them with extra injected
 * faults, each with the time it is submitted. Injected faults stay inside the retry budget, so the scenario alone
 * decides how an order must end (see attempt-guard.ts for how chaos itself stays inside it too).
 */

import { FORWARD_STEP_MAX_ATTEMPTS } from '../../config/settings';
import type { FaultPlan } from '../../domain/faults';
import type { Order } from '../../domain/order';
import {
  SCENARIOS,
  SLOW_STEP_DURATION_MS,
  LONG_HAUL_DEFAULT_MS,
  expectedFailureType,
  expectedOutcome,
  faultsFor,
  scenarioFaults,
  type Scenario,
} from '../../domain/scenarios';
import { FORWARD_STEPS, type ForwardStep } from '../../domain/steps';
import { orderWorkflowId } from '../../config/settings';
import { sampleOrder } from '../../client/sample-order';
import { between, pick, shuffle, type Random } from './random';

export interface PlannedOrder {
  order: Order;
  workflowId: string;
  scenario: Scenario;
  expected: 'COMPLETED' | 'FAILED';
  /** For an order that must fail: the failure type its scenario implies. */
  expectedFailureType?: string;
  /** The faults added on top of the scenario, in words, for the log (empty: none). */
  injected: string;
  submitAtMs: number;
  /** When set, a workflow cancellation is sent from outside this long after the order was submitted. */
  cancelAfterMs?: number;
}

/** About one in five orders heading for COMPLETED gets an outside cancellation, at a random point of its saga. */
const OUTSIDE_CANCEL_SHARE = 0.2;
const OUTSIDE_CANCEL_AFTER_MS = { min: 300, max: 8_000 };

/** Attempts of a step that chaos may still take (one) plus a spare for a stale view: see attempt-guard.ts. */
export const CHAOS_ATTEMPT_RESERVE = 2;
/** The most attempts of one step that injected faults may fail on purpose. */
export const MAX_INJECTED_FAILURES = FORWARD_STEP_MAX_ATTEMPTS - CHAOS_ATTEMPT_RESERVE;

/** About two orders in five get extra faults. */
const EXTRA_FAULT_SHARE = 0.4;
/**
 * The `slow` scenario's shipment takes 20 s so a presenter can kill the worker by hand. Here it takes 5 s: still
 * about 25 times a normal step at latency scale 0.2, so kills regularly land in the middle of it and the heartbeat
 * timeout path is exercised, without every killed attempt costing the run another 25 s.
 */
export const CHAOS_SLOW_STEP_MS = Math.min(SLOW_STEP_DURATION_MS, 5_000);
/** A long haul in a chaos run: 2.5 chunks, so kills and outages meet chunk handovers without a long run. */
export const CHAOS_LONG_HAUL_MS = Math.min(LONG_HAUL_DEFAULT_MS, 10_000);

/** Orders are submitted over this long; chaos happens over the same window. */
export function submissionWindowMs(orders: number): number {
  return Math.max(60_000, orders * 400);
}

/** Attempts of `step` that this order's faults fail on purpose (transient failures, or the lost first response). */
export function failingAttempts(order: Pick<Order, 'scenario' | 'faults' | 'items'>, step: ForwardStep): number {
  const faults = faultsFor(order);
  const transient = faults.transientFailures?.[step] ?? 0;
  return faults.timeoutAfterEffect?.includes(step) ? Math.max(transient, 1) : transient;
}

function extraFaults(random: Random, scenario: Scenario, firstSku: string): { faults: FaultPlan; injected: string[] } {
  const base = scenarioFaults(scenario, firstSku);
  const faults: FaultPlan = {};
  const injected: string[] = [];
  if (random() < EXTRA_FAULT_SHARE) {
    const kind = pick(random, ['transient', 'timeout', 'both'] as const);
    if (kind !== 'timeout') {
      // Not on a step the scenario already fails (shipping-outage's shipment is at the limit already).
      const step = pick(
        random,
        FORWARD_STEPS.filter((s) => !base.transientFailures?.[s]),
      );
      const count = between(random, 1, 2);
      // faultsFor overlays the order's faults on the scenario's, so keep the scenario's own transient failures.
      faults.transientFailures = { ...base.transientFailures, [step]: count };
      injected.push(`${step} fails ${count}x`);
    }
    if (kind !== 'transient') {
      const step = pick(random, FORWARD_STEPS);
      faults.timeoutAfterEffect = [step];
      injected.push(`${step} response lost`);
    }
  }
  if (scenario === 'slow') faults.slowStep = { step: 'createShipment', durationMs: CHAOS_SLOW_STEP_MS };
  return { faults, injected };
}

export function planOrders(random: Random, count: number, runId: string): PlannedOrder[] {
  const windowMs = submissionWindowMs(count);
  // Every scenario in turn, so a run of 8 or more covers them all; the seed decides the order they come in.
  const scenarios = shuffle(
    random,
    Array.from({ length: count }, (_, i) => SCENARIOS[i % SCENARIOS.length]),
  );
  return scenarios.map((scenario, i) => {
    const order = sampleOrder(`${runId}-${String(i + 1).padStart(4, '0')}`, scenario, i);
    if (scenario === 'long-haul') order.longHaulMs = CHAOS_LONG_HAUL_MS;
    const { faults, injected } = extraFaults(random, scenario, order.items[0].sku);
    if (Object.keys(faults).length > 0) order.faults = faults;
    for (const step of FORWARD_STEPS) {
      if (failingAttempts(order, step) > MAX_INJECTED_FAILURES)
        throw new Error(`${order.orderId}: ${step} would fail beyond the retry budget`);
    }
    const submitAtMs = Math.round(((i + random()) * windowMs) / count);
    const cancel = expectedOutcome(scenario) === 'COMPLETED' && random() < OUTSIDE_CANCEL_SHARE;
    const cancelAfterMs = cancel
      ? between(random, OUTSIDE_CANCEL_AFTER_MS.min, OUTSIDE_CANCEL_AFTER_MS.max)
      : undefined;
    return {
      order,
      workflowId: orderWorkflowId(order.orderId),
      scenario,
      expected: expectedOutcome(scenario),
      expectedFailureType: expectedFailureType(scenario),
      injected: [...injected, ...(cancelAfterMs ? [`cancelled from outside after ${cancelAfterMs} ms`] : [])].join(
        ', ',
      ),
      submitAtMs,
      cancelAfterMs,
    };
  });
}

/**
 * One more order, submitted at the end with the local worker stopped for good: only the Lambda can run it, so it
 * proves deterministically that the serverless path is live after all the chaos (and after the server restart).
 */
export function probeOrder(runId: string): PlannedOrder {
  const order = sampleOrder(`${runId}-lambda-probe`, 'happy');
  return {
    order,
    workflowId: orderWorkflowId(order.orderId),
    scenario: 'happy',
    expected: 'COMPLETED',
    injected: '',
    submitAtMs: 0,
  };
}

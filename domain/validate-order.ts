/**
 * Validation of an order as it arrives from outside (starter, Temporal CLI, any client). Pure and deterministic,
 * so the workflow runs it as its first step and the starter runs it before submitting.
 */

import type { Order } from './order';
import { SCENARIOS, isScenario } from './scenarios';
import { FORWARD_STEPS, isForwardStep } from './steps';

export const ORDER_LIMITS = {
  maxItems: 100,
  maxQuantity: 1_000,
  maxUnitPriceCents: 10_000_000,
  maxTextLength: 200,
  maxSlowStepMs: 120_000,
  maxTransientFailures: 100,
} as const;

const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ValidationResult = { ok: true; order: Order } | { ok: false; problems: string[] };

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function text(problems: Problems, parent: Record<string, unknown>, key: string, path: string, optional = false): void {
  const value = parent[key];
  if (value === undefined && optional) return;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${path} must be a non-empty string (got ${describe(value)})`);
  } else if (value.length > ORDER_LIMITS.maxTextLength) {
    problems.push(`${path} must be at most ${ORDER_LIMITS.maxTextLength} characters (got ${value.length})`);
  }
}

function integerInRange(problems: Problems, value: unknown, path: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push(`${path} must be an integer (got ${describe(value)})`);
  } else if (value < min || value > max) {
    problems.push(`${path} must be between ${min} and ${max} (got ${value})`);
  }
}

function object(problems: Problems, parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = parent[key];
  if (isRecord(value)) return value;
  problems.push(`${key} must be an object (got ${describe(value)})`);
  return undefined;
}

function validateItems(problems: Problems, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`items must be a non-empty array (got ${describe(value)})`);
    return;
  }
  if (value.length > ORDER_LIMITS.maxItems) {
    problems.push(`items must hold at most ${ORDER_LIMITS.maxItems} lines (got ${value.length}); split the order`);
    return;
  }
  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const path = `items[${index}]`;
    if (!isRecord(item)) {
      problems.push(`${path} must be an object (got ${describe(item)})`);
      return;
    }
    text(problems, item, 'sku', `${path}.sku`);
    if (typeof item.sku === 'string') {
      if (seen.has(item.sku)) problems.push(`${path}.sku "${item.sku}" appears twice; merge the lines`);
      seen.add(item.sku);
    }
    integerInRange(problems, item.quantity, `${path}.quantity`, 1, ORDER_LIMITS.maxQuantity);
    integerInRange(problems, item.unitPriceCents, `${path}.unitPriceCents`, 0, ORDER_LIMITS.maxUnitPriceCents);
  });
}

function validateFaults(problems: Problems, value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problems.push(`faults must be an object (got ${describe(value)})`);
    return;
  }
  const known = [
    'transientFailures',
    'timeoutAfterEffect',
    'slowStep',
    'declinePayment',
    'outOfStockSkus',
    'rejectAddress',
    'notificationDown',
  ];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push(`faults.${key} is not a known fault (known: ${known.join(', ')})`);
  }
  const { transientFailures, timeoutAfterEffect, slowStep, outOfStockSkus } = value;
  if (transientFailures !== undefined) {
    if (!isRecord(transientFailures)) {
      problems.push(`faults.transientFailures must be an object of step -> count (got ${describe(transientFailures)})`);
    } else {
      for (const [step, count] of Object.entries(transientFailures)) {
        if (!isForwardStep(step)) problems.push(`faults.transientFailures.${step} is not a step (${FORWARD_STEPS.join(', ')})`);
        integerInRange(problems, count, `faults.transientFailures.${step}`, 0, ORDER_LIMITS.maxTransientFailures);
      }
    }
  }
  if (timeoutAfterEffect !== undefined) {
    if (!Array.isArray(timeoutAfterEffect) || !timeoutAfterEffect.every(isForwardStep)) {
      problems.push(`faults.timeoutAfterEffect must be a list of steps (${FORWARD_STEPS.join(', ')})`);
    }
  }
  if (slowStep !== undefined) {
    if (!isRecord(slowStep) || !isForwardStep(slowStep.step)) {
      problems.push(`faults.slowStep must be { step, durationMs } with step one of ${FORWARD_STEPS.join(', ')}`);
    } else {
      integerInRange(problems, slowStep.durationMs, 'faults.slowStep.durationMs', 0, ORDER_LIMITS.maxSlowStepMs);
    }
  }
  if (outOfStockSkus !== undefined && (!Array.isArray(outOfStockSkus) || !outOfStockSkus.every((s) => typeof s === 'string'))) {
    problems.push('faults.outOfStockSkus must be a list of SKUs');
  }
  for (const flag of ['declinePayment', 'rejectAddress', 'notificationDown']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      problems.push(`faults.${flag} must be true or false (got ${describe(value[flag])})`);
    }
  }
}

/** Checks every field and reports every problem at once, so one round trip fixes the whole order. */
export function validateOrder(input: unknown): ValidationResult {
  const problems: Problems = [];
  if (!isRecord(input)) {
    return { ok: false, problems: [`the order must be a JSON object (got ${describe(input)})`] };
  }
  if (typeof input.orderId !== 'string' || !ORDER_ID_PATTERN.test(input.orderId)) {
    problems.push(
      `orderId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (got ${describe(input.orderId)})`,
    );
  }
  const customer = object(problems, input, 'customer');
  if (customer) {
    text(problems, customer, 'id', 'customer.id');
    text(problems, customer, 'name', 'customer.name');
    text(problems, customer, 'email', 'customer.email');
    if (typeof customer.email === 'string' && customer.email.trim() !== '' && !EMAIL_PATTERN.test(customer.email)) {
      problems.push(`customer.email must be an email address (got ${describe(customer.email)})`);
    }
  }
  validateItems(problems, input.items);
  const address = object(problems, input, 'shippingAddress');
  if (address) {
    for (const field of ['name', 'line1', 'city', 'postalCode', 'country']) {
      text(problems, address, field, `shippingAddress.${field}`);
    }
    text(problems, address, 'line2', 'shippingAddress.line2', true);
  }
  text(problems, input, 'paymentToken', 'paymentToken');
  if (input.scenario !== undefined && !isScenario(input.scenario)) {
    problems.push(`scenario must be one of ${SCENARIOS.join(', ')} (got ${describe(input.scenario)})`);
  }
  validateFaults(problems, input.faults);
  return problems.length === 0 ? { ok: true, order: input as unknown as Order } : { ok: false, problems };
}

/** One readable sentence for people: "Invalid order: a; b; c". */
export function describeProblems(problems: string[]): string {
  return `Invalid order: ${problems.join('; ')}`;
}

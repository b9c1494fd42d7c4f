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
  /**
   * Two hours: at 4 s a chunk that is 1 800 chunk activities, about 11 000 history events, well under Temporal's
   * 51 200. A longer haul would need continue-as-new.
   */
  maxLongHaulMs: 7_200_000,
  /** Beyond this many problems the rest are counted, not listed: the failure message stays readable and small. */
  maxReportedProblems: 25,
} as const;

/** The fields an order may have; anything else is a typo (`senario`) or junk, and is named, never ignored. */
const ORDER_FIELDS = [
  'orderId',
  'customer',
  'items',
  'shippingAddress',
  'paymentToken',
  'scenario',
  'longHaulMs',
  'faults',
];
const CUSTOMER_FIELDS = ['id', 'name', 'email'];
const ITEM_FIELDS = ['sku', 'quantity', 'unitPriceCents'];
const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'postalCode', 'country'];

/**
 * Characters a person cannot see or type into a form: C0/C1 control characters (NUL, newline, escape...), bidi
 * overrides and isolates (they reorder what a label shows), and unpaired surrogates (not Unicode at all).
 * Letters, accents, CJK, emoji and right-to-left scripts are all fine.
 */
const INVISIBLE_CHARACTER = /[\p{Cc}\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ORDER_ID_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

export function isValidOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID_PATTERN.test(value);
}
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ValidationResult = { ok: true; order: Order } | { ok: false; problems: string[] };

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string as it can be shown in a message: at most 40 characters, control characters escaped. */
function quote(value: string): string {
  const chars = Array.from(value);
  const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value;
  return JSON.stringify(shown);
}

/** A key as it can appear in a path: plain names as they are, anything odd quoted and shortened. */
function keyName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(key) ? key : quote(key);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return quote(value);
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
  } else {
    const found = INVISIBLE_CHARACTER.exec(value);
    if (found) {
      const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      problems.push(
        `${path} must not contain control or invisible characters (found U+${code} at position ${found.index}); remove it`,
      );
    }
  }
}

function knownFields(problems: Problems, value: Record<string, unknown>, known: string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined || known.includes(key)) continue;
    const field = path ? `${path}.${keyName(key)}` : keyName(key);
    problems.push(
      `${field} is not a field of ${path || 'an order'} (fields: ${known.join(', ')}); remove it or fix its spelling`,
    );
  }
}

function integerInRange(problems: Problems, value: unknown, path: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push(`${path} must be an integer (got ${describe(value)})`);
  } else if (value < min || value > max) {
    problems.push(`${path} must be between ${min} and ${max} (got ${value})`);
  }
}

function object(
  problems: Problems,
  parent: Record<string, unknown>,
  key: string,
  fields: string[],
): Record<string, unknown> | undefined {
  const value = parent[key];
  if (isRecord(value)) {
    knownFields(problems, value, fields, key);
    return value;
  }
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
    knownFields(problems, item, ITEM_FIELDS, path);
    text(problems, item, 'sku', `${path}.sku`);
    if (typeof item.sku === 'string') {
      if (seen.has(item.sku)) problems.push(`${path}.sku ${quote(item.sku)} appears twice; merge the lines`);
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
    if (!known.includes(key)) problems.push(`faults.${keyName(key)} is not a known fault (known: ${known.join(', ')})`);
  }
  const { transientFailures, timeoutAfterEffect, slowStep, outOfStockSkus } = value;
  if (transientFailures !== undefined) {
    if (!isRecord(transientFailures)) {
      problems.push(`faults.transientFailures must be an object of step -> count (got ${describe(transientFailures)})`);
    } else {
      for (const [step, count] of Object.entries(transientFailures)) {
        const path = `faults.transientFailures.${keyName(step)}`;
        if (!isForwardStep(step)) problems.push(`${path} is not a step (${FORWARD_STEPS.join(', ')})`);
        else integerInRange(problems, count, path, 0, ORDER_LIMITS.maxTransientFailures);
      }
    }
  }
  if (timeoutAfterEffect !== undefined) {
    if (
      !Array.isArray(timeoutAfterEffect) ||
      !timeoutAfterEffect.every(isForwardStep) ||
      new Set(timeoutAfterEffect).size !== timeoutAfterEffect.length
    ) {
      problems.push(`faults.timeoutAfterEffect must be a list of different steps (${FORWARD_STEPS.join(', ')})`);
    }
  }
  if (slowStep !== undefined) {
    if (!isRecord(slowStep) || !isForwardStep(slowStep.step)) {
      problems.push(`faults.slowStep must be { step, durationMs } with step one of ${FORWARD_STEPS.join(', ')}`);
    } else {
      knownFields(problems, slowStep, ['step', 'durationMs'], 'faults.slowStep');
      integerInRange(problems, slowStep.durationMs, 'faults.slowStep.durationMs', 0, ORDER_LIMITS.maxSlowStepMs);
    }
  }
  if (
    outOfStockSkus !== undefined &&
    (!Array.isArray(outOfStockSkus) ||
      outOfStockSkus.length > ORDER_LIMITS.maxItems ||
      !outOfStockSkus.every((s) => typeof s === 'string' && s.length <= ORDER_LIMITS.maxTextLength))
  ) {
    problems.push(
      `faults.outOfStockSkus must be a list of at most ${ORDER_LIMITS.maxItems} SKUs of at most ${ORDER_LIMITS.maxTextLength} characters`,
    );
  }
  for (const flag of ['declinePayment', 'rejectAddress', 'notificationDown']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      problems.push(`faults.${flag} must be true or false (got ${describe(value[flag])})`);
    }
  }
}

/** `longHaulMs` is the long-haul scenario's setting: elsewhere it would be silently ignored, so it is named. */
function validateLongHaul(problems: Problems, input: Record<string, unknown>): void {
  const { longHaulMs, scenario } = input;
  if (longHaulMs === undefined) return;
  if (scenario !== 'long-haul') {
    problems.push(
      `longHaulMs applies only to the long-haul scenario (got scenario ${describe(scenario)}); ` +
        'set scenario to "long-haul" or remove longHaulMs',
    );
  } else if (typeof longHaulMs !== 'number' || !Number.isInteger(longHaulMs)) {
    problems.push(`longHaulMs must be a whole number of milliseconds (got ${describe(longHaulMs)})`);
  } else if (longHaulMs < 1 || longHaulMs > ORDER_LIMITS.maxLongHaulMs) {
    problems.push(
      `longHaulMs must be between 1 and ${ORDER_LIMITS.maxLongHaulMs} (2 hours; got ${longHaulMs}); ` +
        'a longer haul needs continue-as-new',
    );
  }
}

/** Checks every field and reports every problem at once, so one round trip fixes the whole order. */
export function validateOrder(input: unknown): ValidationResult {
  const problems: Problems = [];
  if (!isRecord(input)) {
    return { ok: false, problems: [`the order must be a JSON object (got ${describe(input)})`] };
  }
  knownFields(problems, input, ORDER_FIELDS, '');
  if (!isValidOrderId(input.orderId)) {
    problems.push(`orderId must be ${ORDER_ID_RULE} (got ${describe(input.orderId)})`);
  }
  const customer = object(problems, input, 'customer', CUSTOMER_FIELDS);
  if (customer) {
    text(problems, customer, 'id', 'customer.id');
    text(problems, customer, 'name', 'customer.name');
    text(problems, customer, 'email', 'customer.email');
    if (typeof customer.email === 'string' && customer.email.trim() !== '' && !EMAIL_PATTERN.test(customer.email)) {
      problems.push(`customer.email must be an email address (got ${describe(customer.email)})`);
    }
  }
  validateItems(problems, input.items);
  const address = object(problems, input, 'shippingAddress', ADDRESS_FIELDS);
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
  validateLongHaul(problems, input);
  validateFaults(problems, input.faults);
  return problems.length === 0
    ? { ok: true, order: input as unknown as Order }
    : { ok: false, problems: capped(problems) };
}

/** Every problem up to the cap, then a count: a junk order cannot make a failure too large to record. */
function capped(problems: Problems): Problems {
  const max = ORDER_LIMITS.maxReportedProblems;
  if (problems.length <= max) return problems;
  return [...problems.slice(0, max), `and ${problems.length - max} more problems: fix these first`];
}

/** One readable sentence for people: "Invalid order: a; b; c". */
export function describeProblems(problems: string[]): string {
  return `Invalid order: ${problems.join('; ')}`;
}

/** What each scenario implies about how an order ends, as the starter, the demo and the chaos run check it. */

import { SCENARIOS, expectedFailureType, expectedOutcome, unexpectedEnding } from '../../domain/scenarios';

test.each([
  ['decline', 'PaymentDeclined'],
  ['out-of-stock', 'OutOfStock'],
  ['bad-address', 'InvalidAddress'],
] as const)('%s must fail with %s', (scenario, failureType) => {
  expect(expectedOutcome(scenario)).toBe('FAILED');
  expect(expectedFailureType(scenario)).toBe(failureType);
  expect(unexpectedEnding(scenario, { state: 'FAILED', failureType })).toBeUndefined();
  expect(unexpectedEnding(scenario, { state: 'FAILED', failureType: 'ServiceUnavailable' })).toBe(
    `the scenario expects FAILED with ${failureType}, not ServiceUnavailable`,
  );
  expect(unexpectedEnding(scenario, { state: 'COMPLETED' })).toBe('the scenario expects FAILED');
});

test('the other scenarios must complete, and any failure is unexpected', () => {
  const completing = SCENARIOS.filter((s) => !expectedFailureType(s));
  expect(completing).toEqual(['happy', 'shipping-outage', 'notify-outage', 'slow', 'long-haul']);
  for (const scenario of completing) {
    expect(unexpectedEnding(scenario, { state: 'COMPLETED' })).toBeUndefined();
    expect(unexpectedEnding(scenario, { state: 'FAILED', failureType: 'PaymentDeclined' })).toBe(
      'the scenario expects COMPLETED',
    );
  }
});

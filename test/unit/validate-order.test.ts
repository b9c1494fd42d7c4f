import { ORDER_LIMITS, describeProblems, validateOrder } from '../../domain/validate-order';
import { sampleOrder } from '../../starter/sample-order';

const valid = sampleOrder('ord-1', 'happy');

function problemsOf(input: unknown): string[] {
  const result = validateOrder(input);
  return result.ok ? [] : result.problems;
}

test('a sample order is valid and comes back unchanged', () => {
  const result = validateOrder(valid);
  expect(result).toEqual({ ok: true, order: valid });
});

test.each([
  ['null', null, ['the order must be a JSON object (got null)']],
  ['an array', [valid], ['the order must be a JSON object (got an array)']],
  ['a bad order id', { ...valid, orderId: 'has spaces' }, [expect.stringContaining('orderId must be 1-64 letters')]],
  ['no customer', { ...valid, customer: undefined }, ['customer must be an object (got nothing)']],
  ['a bad email', { ...valid, customer: { ...valid.customer, email: 'nope' } }, ['customer.email must be an email address (got "nope")']],
  ['no items', { ...valid, items: [] }, ['items must be a non-empty array (got an array)']],
  ['zero quantity', { ...valid, items: [{ sku: 'A', quantity: 0, unitPriceCents: 1 }] }, ['items[0].quantity must be between 1 and 1000 (got 0)']],
  ['a string quantity', { ...valid, items: [{ sku: 'A', quantity: '2', unitPriceCents: 1 }] }, ['items[0].quantity must be an integer (got "2")']],
  ['fractional cents', { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: 9.99 }] }, ['items[0].unitPriceCents must be an integer (got number 9.99)']],
  ['negative cents', { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: -1 }] }, [expect.stringContaining('unitPriceCents must be between 0')]],
  [
    'duplicate SKUs',
    { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: 1 }, { sku: 'A', quantity: 2, unitPriceCents: 1 }] },
    ['items[1].sku "A" appears twice; merge the lines'],
  ],
  [
    'too many items',
    { ...valid, items: Array.from({ length: ORDER_LIMITS.maxItems + 1 }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPriceCents: 1 })) },
    [expect.stringContaining(`at most ${ORDER_LIMITS.maxItems} lines`)],
  ],
  ['an unknown scenario', { ...valid, scenario: 'explode' }, [expect.stringContaining('scenario must be one of happy, decline')]],
  ['an unknown fault', { ...valid, faults: { meteor: true } }, [expect.stringContaining('faults.meteor is not a known fault')]],
  ['a fault on a non-step', { ...valid, faults: { transientFailures: { teleport: 1 } } }, [expect.stringContaining('faults.transientFailures.teleport is not a step')]],
  ['a huge text field', { ...valid, paymentToken: 'x'.repeat(ORDER_LIMITS.maxTextLength + 1) }, [expect.stringContaining('paymentToken must be at most')]],
  ['a missing address line', { ...valid, shippingAddress: { ...valid.shippingAddress, line1: ' ' } }, [expect.stringContaining('shippingAddress.line1 must be a non-empty string')]],
])('rejects %s with a message naming the field', (_name, input, expected) => {
  expect(problemsOf(input)).toEqual(expected);
});

test('every problem is reported at once, not just the first', () => {
  const problems = problemsOf({ orderId: '', items: 'x', paymentToken: 3 });
  expect(problems).toHaveLength(5);
  expect(describeProblems(problems)).toMatch(/^Invalid order: orderId .*; customer .*; items .*; shippingAddress .*; paymentToken .*$/);
});

test('unicode names and addresses are fine', () => {
  const order = { ...valid, customer: { ...valid.customer, name: 'Zoë Ångström 李' }, shippingAddress: { ...valid.shippingAddress, city: 'Zürich' } };
  expect(validateOrder(order).ok).toBe(true);
});

import { ORDER_LIMITS, describeProblems, validateOrder } from '../../domain/validate-order';
import { sampleOrder } from '../../client/sample-order';

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
  [
    'a bad email',
    { ...valid, customer: { ...valid.customer, email: 'nope' } },
    ['customer.email must be an email address (got "nope")'],
  ],
  ['no items', { ...valid, items: [] }, ['items must be a non-empty array (got an array)']],
  [
    'zero quantity',
    { ...valid, items: [{ sku: 'A', quantity: 0, unitPriceCents: 1 }] },
    ['items[0].quantity must be between 1 and 1000 (got 0)'],
  ],
  [
    'a string quantity',
    { ...valid, items: [{ sku: 'A', quantity: '2', unitPriceCents: 1 }] },
    ['items[0].quantity must be an integer (got "2")'],
  ],
  [
    'fractional cents',
    { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: 9.99 }] },
    ['items[0].unitPriceCents must be an integer (got number 9.99)'],
  ],
  [
    'negative cents',
    { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: -1 }] },
    [expect.stringContaining('unitPriceCents must be between 0')],
  ],
  [
    'duplicate SKUs',
    {
      ...valid,
      items: [
        { sku: 'A', quantity: 1, unitPriceCents: 1 },
        { sku: 'A', quantity: 2, unitPriceCents: 1 },
      ],
    },
    ['items[1].sku "A" appears twice; merge the lines'],
  ],
  [
    'too many items',
    {
      ...valid,
      items: Array.from({ length: ORDER_LIMITS.maxItems + 1 }, (_, i) => ({
        sku: `S${i}`,
        quantity: 1,
        unitPriceCents: 1,
      })),
    },
    [expect.stringContaining(`at most ${ORDER_LIMITS.maxItems} lines`)],
  ],
  [
    'an unknown scenario',
    { ...valid, scenario: 'explode' },
    [expect.stringContaining('scenario must be one of happy, decline')],
  ],
  [
    'an unknown fault',
    { ...valid, faults: { meteor: true } },
    [expect.stringContaining('faults.meteor is not a known fault')],
  ],
  [
    'a fault on a non-step',
    { ...valid, faults: { transientFailures: { teleport: 1 } } },
    [expect.stringContaining('faults.transientFailures.teleport is not a step')],
  ],
  [
    'a huge text field',
    { ...valid, paymentToken: 'x'.repeat(ORDER_LIMITS.maxTextLength + 1) },
    [expect.stringContaining('paymentToken must be at most')],
  ],
  [
    'a missing address line',
    { ...valid, shippingAddress: { ...valid.shippingAddress, line1: ' ' } },
    [expect.stringContaining('shippingAddress.line1 must be a non-empty string')],
  ],
  [
    'a misspelled field',
    { ...valid, senario: 'decline' },
    [
      'senario is not a field of an order (fields: orderId, customer, items, shippingAddress, paymentToken, scenario, longHaulMs, faults); remove it or fix its spelling',
    ],
  ],
  [
    'an extra customer field',
    { ...valid, customer: { ...valid.customer, phone: '1' } },
    ['customer.phone is not a field of customer (fields: id, name, email); remove it or fix its spelling'],
  ],
  [
    'an extra item field',
    { ...valid, items: [{ sku: 'A', quantity: 1, unitPriceCents: 1, colour: 'red' }] },
    [
      expect.stringMatching(
        /^items\[0\]\.colour is not a field of items\[0\] \(fields: sku, quantity, unitPriceCents\)/,
      ),
    ],
  ],
  [
    'a NUL in a name',
    { ...valid, customer: { ...valid.customer, name: 'Ada\u0000' } },
    ['customer.name must not contain control or invisible characters (found U+0000 at position 3); remove it'],
  ],
  [
    'a newline in an address',
    { ...valid, shippingAddress: { ...valid.shippingAddress, line1: '1 Main\nSt' } },
    [
      expect.stringContaining(
        'shippingAddress.line1 must not contain control or invisible characters (found U+000A at position 6)',
      ),
    ],
  ],
  [
    'a bidi override',
    { ...valid, shippingAddress: { ...valid.shippingAddress, city: 'Lon\u202Enod' } },
    [expect.stringContaining('shippingAddress.city must not contain control or invisible characters (found U+202E')],
  ],
  [
    'a lone surrogate',
    { ...valid, customer: { ...valid.customer, name: 'Ada \uD800' } },
    [expect.stringContaining('customer.name must not contain control or invisible characters (found U+D800')],
  ],
  [
    'a repeated timeout step',
    { ...valid, faults: { timeoutAfterEffect: ['chargeCustomer', 'chargeCustomer'] } },
    [expect.stringContaining('faults.timeoutAfterEffect must be a list of different steps')],
  ],
  [
    'too many out-of-stock SKUs',
    { ...valid, faults: { outOfStockSkus: Array.from({ length: ORDER_LIMITS.maxItems + 1 }, (_, i) => `S${i}`) } },
    [expect.stringContaining(`faults.outOfStockSkus must be a list of at most ${ORDER_LIMITS.maxItems} SKUs`)],
  ],
  [
    'longHaulMs on another scenario',
    { ...valid, longHaulMs: 60_000 },
    [
      'longHaulMs applies only to the long-haul scenario (got scenario "happy"); set scenario to "long-haul" or remove longHaulMs',
    ],
  ],
  [
    'a string longHaulMs',
    { ...valid, scenario: 'long-haul', longHaulMs: '60s' },
    ['longHaulMs must be a whole number of milliseconds (got "60s")'],
  ],
  [
    'a fractional longHaulMs',
    { ...valid, scenario: 'long-haul', longHaulMs: 1.5 },
    ['longHaulMs must be a whole number of milliseconds (got number 1.5)'],
  ],
  [
    'a zero longHaulMs',
    { ...valid, scenario: 'long-haul', longHaulMs: 0 },
    ['longHaulMs must be between 1 and 7200000 (2 hours; got 0); a longer haul needs continue-as-new'],
  ],
  [
    'a longHaulMs over two hours',
    { ...valid, scenario: 'long-haul', longHaulMs: ORDER_LIMITS.maxLongHaulMs + 1 },
    ['longHaulMs must be between 1 and 7200000 (2 hours; got 7200001); a longer haul needs continue-as-new'],
  ],
  [
    'a huge unknown key',
    { ...valid, ['k'.repeat(10_000)]: 1 },
    [expect.stringMatching(/^"k{40}…" is not a field of an order/)],
  ],
])('rejects %s with a message naming the field', (_name, input, expected) => {
  expect(problemsOf(input)).toEqual(expected);
});

test('every problem is reported at once, not just the first', () => {
  const problems = problemsOf({ orderId: '', items: 'x', paymentToken: 3 });
  expect(problems).toHaveLength(5);
  expect(describeProblems(problems)).toMatch(
    /^Invalid order: orderId .*; customer .*; items .*; shippingAddress .*; paymentToken .*$/,
  );
});

test('a flood of problems is capped, so the failure stays small enough to record', () => {
  const junk = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`x${i}`, i]));
  const problems = problemsOf({ ...valid, ...junk });
  expect(problems).toHaveLength(ORDER_LIMITS.maxReportedProblems + 1);
  expect(problems.at(-1)).toBe(`and ${100_000 - ORDER_LIMITS.maxReportedProblems} more problems: fix these first`);
  expect(describeProblems(problems).length).toBeLessThan(10_000);
});

test('a value shown in a message is shortened and its control characters escaped', () => {
  expect(problemsOf({ ...valid, customer: { ...valid.customer, email: `a\u0007${'b'.repeat(100)}` } })).toEqual([
    expect.stringContaining(
      'customer.email must not contain control or invisible characters (found U+0007 at position 1)',
    ),
    `customer.email must be an email address (got "a\\u0007${'b'.repeat(38)}…")`,
  ]);
});

test('a long-haul order with or without its own longHaulMs is valid', () => {
  const longHaul = sampleOrder('ord-1', 'long-haul');
  expect(validateOrder(longHaul).ok).toBe(true);
  expect(validateOrder({ ...longHaul, longHaulMs: ORDER_LIMITS.maxLongHaulMs }).ok).toBe(true);
  expect(validateOrder({ ...longHaul, longHaulMs: 1 }).ok).toBe(true);
});

test('unicode names and addresses are fine', () => {
  const order = {
    ...valid,
    customer: { ...valid.customer, name: 'Zoë Ångström 李 👩‍👩‍👧' },
    shippingAddress: { ...valid.shippingAddress, line1: 'شارع الملك فهد 12', city: 'Zürich', line2: 'квартира 5' },
  };
  expect(validateOrder(order).ok).toBe(true);
});

/** Sample orders for the starter and the demo: plausible customers, a couple of items, the chosen scenario. */

import type { Order } from '../domain/order';
import type { Scenario } from '../domain/scenarios';

const CATALOG = [
  { sku: 'MUG-TEMPORAL', unitPriceCents: 1_499 },
  { sku: 'HOODIE-DURABLE', unitPriceCents: 5_900 },
  { sku: 'STICKERS-SAGA', unitPriceCents: 399 },
  { sku: 'BOTTLE-RETRY', unitPriceCents: 2_450 },
];

export function newOrderId(now = new Date(), random = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(2, 14);
  return `ord-${stamp}-${Math.floor(random() * 46_656)
    .toString(36)
    .padStart(3, '0')}`;
}

export function sampleOrder(orderId: string, scenario: Scenario, index = 0): Order {
  const first = CATALOG[index % CATALOG.length];
  const second = CATALOG[(index + 1) % CATALOG.length];
  return {
    orderId,
    customer: { id: `cust-${1000 + index}`, name: 'Ada Lovelace', email: 'ada@example.com' },
    items: [
      { sku: first.sku, quantity: 1 + (index % 3), unitPriceCents: first.unitPriceCents },
      { sku: second.sku, quantity: 1, unitPriceCents: second.unitPriceCents },
    ],
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    paymentToken: 'tok_visa_4242',
    scenario,
  };
}

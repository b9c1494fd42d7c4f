/** The order a customer places. Plain data: it travels as the workflow's JSON input. */

import type { Scenario } from './scenarios';
import type { FaultPlan } from './faults';

export interface OrderItem {
  sku: string;
  quantity: number;
  /** Price of one unit in integer cents: money is never a float. */
  unitPriceCents: number;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface Order {
  orderId: string;
  customer: Customer;
  items: OrderItem[];
  shippingAddress: ShippingAddress;
  /** A token from the payment provider; never the card number itself. */
  paymentToken: string;
  /**
   * The demo scenario the simulated services act out for this order. It travels inside the order so that the
   * starter, `temporal workflow start --input` and tests can all trigger it the same way. Default: `happy`.
   */
  scenario?: Scenario;
  /** For the `long-haul` scenario: how long the shipment takes in total, in ms (default LONG_HAUL_DEFAULT_MS). */
  longHaulMs?: number;
  /** Fine-grained fault injection, on top of the scenario (tests, chaos runs). */
  faults?: FaultPlan;
}

export function orderTotalCents(order: Pick<Order, 'items'>): number {
  return order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
}

/** The simulated inventory: reserves the order's items, unless a SKU is out of stock; releases the reservation. */

import { ApplicationFailure } from '@temporalio/common';
import { OutOfStock } from '../../domain/errors';
import type { Reservation } from '../../domain/status';
import type { InventoryService } from '../services';
import {
  idFrom,
  simulateForward,
  simulateUndo,
  type ForwardSpec,
  type Simulation,
  type UndoSpec,
} from './simulated-call';

const RESERVE: ForwardSpec<Reservation> = {
  step: 'reserveInventory',
  effect: 'reserve',
  service: 'inventory service',
  check: (order, faults) => {
    const missing = order.items.filter((item) => faults.outOfStockSkus?.includes(item.sku)).map((i) => i.sku);
    if (missing.length > 0) throw ApplicationFailure.nonRetryable(`out of stock: ${missing.join(', ')}`, OutOfStock);
  },
  result: (order, key) => ({ reservationId: idFrom('res', key), skus: order.items.map((i) => i.sku) }),
};

const RELEASE: UndoSpec = {
  compensation: 'releaseInventory',
  effect: 'release',
  describe: (reserved) => `released reservation ${(reserved.result as Reservation).reservationId}`,
};

export function simulatedInventory(simulation: Simulation): InventoryService {
  return {
    reserve: (order, call) => simulateForward(simulation, RESERVE, order, call),
    release: (order, call) => simulateUndo(simulation, RELEASE, order, call),
  };
}

/** The simulated carrier: creates the shipment, unless it cannot deliver to the address; cancels the shipment. */

import { ApplicationFailure } from '@temporalio/common';
import { InvalidAddress } from '../../domain/errors';
import type { Shipment } from '../../domain/status';
import type { ShippingService } from '../services';
import {
  idFrom,
  simulateForward,
  simulateUndo,
  type ForwardSpec,
  type Simulation,
  type UndoSpec,
} from './simulated-call';

const SHIP: ForwardSpec<Shipment> = {
  step: 'createShipment',
  effect: 'ship',
  service: 'shipping carrier',
  check: (order, faults) => {
    if (faults.rejectAddress) {
      const { city, country } = order.shippingAddress;
      throw ApplicationFailure.nonRetryable(`the carrier cannot deliver to ${city}, ${country}`, InvalidAddress);
    }
  },
  result: (_order, key) => ({ shipmentId: idFrom('shp', key), trackingNumber: idFrom('TRK', key).toUpperCase() }),
};

const CANCEL_SHIPMENT: UndoSpec = {
  compensation: 'cancelShipment',
  effect: 'cancel-shipment',
  describe: (shipped) => `cancelled shipment ${(shipped.result as Shipment).shipmentId}`,
};

export function simulatedShipping(simulation: Simulation): ShippingService {
  return {
    ship: (order, call) => simulateForward(simulation, SHIP, order, call),
    cancel: (order, call) => simulateUndo(simulation, CANCEL_SHIPMENT, order, call),
  };
}

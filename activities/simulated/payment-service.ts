/** The simulated payment service: charges the order's total, unless the issuer declines; refunds the charge. */

import { ApplicationFailure } from '@temporalio/common';
import { PaymentDeclined } from '../../domain/errors';
import { orderTotalCents } from '../../domain/order';
import type { Charge } from '../../domain/status';
import type { PaymentService } from '../services';
import {
  idFrom,
  simulateForward,
  simulateUndo,
  type ForwardSpec,
  type Simulation,
  type UndoSpec,
} from './simulated-call';

const CHARGE: ForwardSpec<Charge> = {
  step: 'chargeCustomer',
  effect: 'charge',
  service: 'payment service',
  check: (_order, faults) => {
    if (faults.declinePayment) throw ApplicationFailure.nonRetryable('card declined by the issuer', PaymentDeclined);
  },
  result: (order, key) => ({ chargeId: idFrom('ch', key), amountCents: orderTotalCents(order) }),
};

const REFUND: UndoSpec = {
  compensation: 'refundPayment',
  effect: 'refund',
  describe: (charged) => {
    const charge = charged.result as Charge;
    return `refunded ${charge.amountCents} cents of ${charge.chargeId}`;
  },
};

export function simulatedPayments(simulation: Simulation): PaymentService {
  return {
    charge: (order, call) => simulateForward(simulation, CHARGE, order, call),
    refund: (order, call) => simulateUndo(simulation, REFUND, order, call),
  };
}

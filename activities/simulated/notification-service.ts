/** The simulated notification service: sends the order's confirmation, unless the service is down. Nothing to undo. */

import { ApplicationFailure } from '@temporalio/common';
import { NotificationFailed } from '../../domain/errors';
import type { Notification } from '../../domain/status';
import type { NotificationService } from '../services';
import { notificationMessage } from './notification-message';
import { idFrom, simulateForward, type ForwardSpec, type Simulation } from './simulated-call';

const NOTIFY: ForwardSpec<Notification> = {
  step: 'notifyCustomer',
  effect: 'notify',
  service: 'notification service',
  check: (order, faults) => {
    if (faults.notificationDown) {
      const message = `could not deliver the confirmation to ${order.customer.email}`;
      throw ApplicationFailure.nonRetryable(message, NotificationFailed);
    }
  },
  result: (order, key) => ({ messageId: idFrom('msg', key), detail: `sent "${notificationMessage(order)}"` }),
};

export function simulatedNotifications(simulation: Simulation): NotificationService {
  return {
    notify: (order, call) => simulateForward(simulation, NOTIFY, order, call),
  };
}

/** Activity stubs with the timeouts and retry policies from config/settings.ts (the reasons are written there). */

import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import {
  ACTIVITY_HEARTBEAT_TIMEOUT_MS,
  COMPENSATION_START_TO_CLOSE_MS,
  FORWARD_STEP_MAX_ATTEMPTS,
  LONG_HAUL_CHUNK_START_TO_CLOSE_MS,
  RETRY_BACKOFF_COEFFICIENT,
  RETRY_INITIAL_INTERVAL_MS,
  RETRY_MAXIMUM_INTERVAL_MS,
  STEP_START_TO_CLOSE_MS,
} from '../config/settings';
import type { OrderActivities } from '../domain/activity-contract';
import { BUSINESS_FAILURE_TYPES } from '../domain/errors';
import type { ForwardStep } from '../domain/steps';

const retryBackoff = {
  initialInterval: RETRY_INITIAL_INTERVAL_MS,
  backoffCoefficient: RETRY_BACKOFF_COEFFICIENT,
  maximumInterval: RETRY_MAXIMUM_INTERVAL_MS,
};

function forwardStepOptions(step: ForwardStep): ActivityOptions {
  return {
    startToCloseTimeout: STEP_START_TO_CLOSE_MS[step],
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
    retry: {
      ...retryBackoff,
      maximumAttempts: FORWARD_STEP_MAX_ATTEMPTS,
      nonRetryableErrorTypes: [...BUSINESS_FAILURE_TYPES],
    },
    // On cancellation, wait until the attempt has really stopped, so compensation never races an effect in flight.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
}

export const forwardSteps: Pick<OrderActivities, ForwardStep> = {
  reserveInventory: proxyActivities<OrderActivities>(forwardStepOptions('reserveInventory')).reserveInventory,
  chargeCustomer: proxyActivities<OrderActivities>(forwardStepOptions('chargeCustomer')).chargeCustomer,
  createShipment: proxyActivities<OrderActivities>(forwardStepOptions('createShipment')).createShipment,
  notifyCustomer: proxyActivities<OrderActivities>(forwardStepOptions('notifyCustomer')).notifyCustomer,
};

/**
 * A long-haul chunk has a forward step's retry budget of its own: a chunk cut off mid-way (a crash, a frozen
 * Lambda) spends an attempt of that chunk only, and the haul as a whole may take any number of invocations.
 */
export const longHaul = proxyActivities<OrderActivities>({
  ...forwardStepOptions('createShipment'),
  startToCloseTimeout: LONG_HAUL_CHUNK_START_TO_CLOSE_MS,
});

/** Compensations retry until they succeed (no maximumAttempts means unlimited): an undo is never abandoned. */
export const compensations = proxyActivities<OrderActivities>({
  startToCloseTimeout: COMPENSATION_START_TO_CLOSE_MS,
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
  retry: retryBackoff,
});

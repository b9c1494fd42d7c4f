/** Builds the saga's activities over injectable services: each call gets its idempotency key and a receipt. */

import { Context, log } from '@temporalio/activity';
import type { OrderActivities, StepInput, UndoInput } from '../domain/activity-contract';
import type { Receipt } from '../domain/status';
import { heartbeatingWork } from './heartbeat-work';
import { haulChunk } from './long-haul-chunk';
import type { Recorded } from './journal';
import type { CallContext, ShopFlowServices } from './services';

export interface ActivityDependencies {
  services: ShopFlowServices;
  /** Who is running the activity right now; for Lambda it changes with every invocation. */
  workerIdentity: () => string;
}

export function createActivities({ services, workerIdentity }: ActivityDependencies): OrderActivities {
  async function run<T>(input: StepInput, call: (context: CallContext) => Promise<Recorded<T>>): Promise<Receipt<T>> {
    const activity = Context.current();
    const worker = workerIdentity();
    const startedAt = new Date().toISOString();
    const { attempt, activityType } = activity.info;
    const logged = { orderId: input.order.orderId, step: activityType, idempotencyKey: input.idempotencyKey, attempt };
    log.info(`${activityType} started`, logged);
    const recorded = await call({
      idempotencyKey: input.idempotencyKey,
      worker,
      attempt,
      work: (ms) => heartbeatingWork(activity, ms),
    });
    log.info(
      recorded.deduplicated ? `${activityType}: already done, first result returned` : `${activityType} done`,
      logged,
    );
    return {
      result: recorded.result,
      worker,
      attempt,
      startedAt,
      finishedAt: new Date().toISOString(),
      deduplicated: recorded.deduplicated,
    };
  }

  const undo = (input: UndoInput) => (context: CallContext) => ({ ...context, undoKey: input.undoKey });

  return {
    reserveInventory: (input) => run(input, (c) => services.inventory.reserve(input.order, c)),
    chargeCustomer: (input) => run(input, (c) => services.payments.charge(input.order, c)),
    createShipment: (input) => run(input, (c) => services.shipping.ship(input.order, c)),
    notifyCustomer: (input) => run(input, (c) => services.notifications.notify(input.order, c)),
    // No effect and no journal entry: a chunk only moves the haul on; createShipment records the shipment once.
    haulShipmentChunk: (input) => haulChunk(Context.current(), input, log),
    releaseInventory: (input) => run(input, (c) => services.inventory.release(input.order, undo(input)(c))),
    refundPayment: (input) => run(input, (c) => services.payments.refund(input.order, undo(input)(c))),
    cancelShipment: (input) => run(input, (c) => services.shipping.cancel(input.order, undo(input)(c))),
  };
}

/** The order-fulfillment saga: reserve -> charge -> ship -> notify, undone in reverse when a step fails for good. */

import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { InvalidOrder, OrderCancelled, OrderFailed } from '../domain/errors';
import type { Order } from '../domain/order';
import { cancelReason, type OrderResult, type Receipt } from '../domain/status';
import { COMPENSATION_FOR, FORWARD_STEPS, idempotencyKey, type ForwardStep } from '../domain/steps';
import { describeProblems, isValidOrderId, validateOrder } from '../domain/validate-order';
import { forwardSteps } from './activity-options';
import { cancelOrderUpdate, getStatusQuery } from './definitions';
import { haulDetail, haulShipment, LONG_HAUL_PATCH, type HaulOutcome } from './long-haul';
import { OrderTracker } from './order-tracker';
import { Saga } from './saga';

export async function OrderWorkflow(input: Order): Promise<OrderResult> {
  return processOrder(input, FORWARD_STEPS);
}

/**
 * The saga itself. `plan` is the step order; the workflow always passes FORWARD_STEPS, and the replay tests pass
 * a different order to prove that such a change breaks in-flight orders.
 */
export async function processOrder(input: unknown, plan: readonly ForwardStep[]): Promise<OrderResult> {
  const { workflowId } = workflowInfo();
  const tracker = new OrderTracker(orderIdOf(input, workflowId));
  const steps = new CancellationScope();
  // A workflow cancellation (the Web UI's "Request Cancellation", `temporal workflow cancel`) cancels the root scope,
  // and so `steps`, exactly like cancelOrder, until the shipment exists; from then on the steps run shielded.
  CancellationScope.current().cancelRequested.catch(() => tracker.outsideCancellationRequested());
  setOrderHandlers(tracker, steps);

  const order = acceptOrder(input, tracker);
  const run: OrderRun = { order, workflowId, tracker, saga: new Saga(order, workflowId, tracker), results: {} };
  try {
    await steps.run(() => runForwardSteps(run, plan));
  } catch (err) {
    // Only activity failures and cancellation mean "the order cannot go on". Anything else is a bug in this
    // code: let it fail the workflow task so it is retried after a fix, instead of compensating a healthy order.
    if (!(err instanceof ActivityFailure) && !isCancellation(err)) throw err;
    await run.saga.compensate();
    throw endWithFailure(tracker, err);
  }

  tracker.completed();
  return buildResult(order, tracker, run.results);
}

/** What every stage of one order's saga reads and writes. */
interface OrderRun {
  order: Order;
  workflowId: string;
  tracker: OrderTracker;
  saga: Saga;
  results: Partial<Record<ForwardStep, Receipt<unknown>>>;
}

/** getStatus answers from the tracker; cancelOrder cancels the steps' scope, while cancelling can still undo. */
function setOrderHandlers(tracker: OrderTracker, steps: CancellationScope): void {
  setHandler(getStatusQuery, () => tracker.snapshot());
  setHandler(
    cancelOrderUpdate,
    (request) => {
      tracker.cancelRequestedBy(cancelReason(request));
      steps.cancel();
      return tracker.snapshot();
    },
    {
      validator: (request) => {
        if (tracker.isTerminal()) throw new Error(`order is already ${tracker.state.toLowerCase()}`);
        if (tracker.state === 'COMPENSATING') throw new Error('the order is already being rolled back');
        if (tracker.hasCompleted('createShipment'))
          throw new Error('the shipment exists: the order can no longer be cancelled');
        if (tracker.cancelRequested) throw new Error('cancellation was already requested');
        if (request?.reason !== undefined && typeof request.reason !== 'string')
          throw new Error('reason must be a string');
      },
    },
  );
}

/** The valid order, or the workflow fails at once with InvalidOrder: there is nothing to undo yet. */
function acceptOrder(input: unknown, tracker: OrderTracker): Order {
  const validation = validateOrder(input);
  if (!validation.ok) {
    const message = describeProblems(validation.problems);
    tracker.ended('FAILED', { type: InvalidOrder, message });
    throw ApplicationFailure.create({
      type: InvalidOrder,
      message,
      nonRetryable: true,
      details: [validation.problems],
    });
  }
  tracker.accepted(validation.order);
  return validation.order;
}

/** Each step registers its undo before it runs, so a step that fails halfway is still undone. */
async function runForwardSteps(run: OrderRun, plan: readonly ForwardStep[]): Promise<void> {
  for (const step of plan) {
    const key = idempotencyKey(run.workflowId, step);
    const compensation = COMPENSATION_FOR[step];
    if (compensation) run.saga.register(compensation, key);
    run.tracker.stepStarted(step);
    await runForwardStep(run, step, key);
  }
}

async function runForwardStep(run: OrderRun, step: ForwardStep, key: string): Promise<void> {
  const { order, tracker, results } = run;
  let haul: HaulOutcome | undefined;
  const runStep = async (): Promise<Receipt<unknown>> => {
    // A long haul first runs its chunks; createShipment then records the shipment once, as for any order,
    // so cancelShipment still undoes it if a later step fails.
    if (step === 'createShipment' && order.scenario === 'long-haul' && patched(LONG_HAUL_PATCH))
      haul = await haulShipment(order, key);
    return forwardSteps[step]({ order, idempotencyKey: key });
  };
  try {
    // Once the goods are on their way, nothing may undo the order: the remaining steps ignore cancellation.
    const shipped = tracker.hasCompleted('createShipment');
    results[step] = await (shipped ? CancellationScope.nonCancellable(runStep) : runStep());
    tracker.stepCompleted(step, results[step], haul && haulDetail(haul));
  } catch (err) {
    tracker.stepFailed(step, failureMessage(err));
    // A notification that fails after shipping is recorded, not rolled back: the goods are on their way.
    if (step === 'notifyCustomer' && !isCancellation(err)) {
      tracker.notificationFailed(failureMessage(err));
      return;
    }
    throw err;
  }
}

/** The order id the status reports: the input's only when valid, so a refused id (escape codes, 10 KB) is never echoed. */
function orderIdOf(input: unknown, workflowId: string): string {
  const orderId = (input as { orderId?: unknown } | null)?.orderId;
  return isValidOrderId(orderId) ? orderId : workflowId;
}

/** The innermost message: for an activity failure, what the service said. */
function failureMessage(err: unknown): string {
  let current: unknown = err;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function failureType(err: unknown): string {
  let current: unknown = err;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  return current instanceof ApplicationFailure && current.type ? current.type : OrderFailed;
}

function endWithFailure(tracker: OrderTracker, err: unknown): unknown {
  const status = tracker.snapshot();
  const undone = status.compensations.map((c) => `${c.compensation} (${c.detail})`).join(', ') || 'nothing';
  if (status.cancelRequested) {
    const message = `Order ${status.orderId} cancelled: ${status.cancelRequested.reason}. Undone: ${undone}.`;
    tracker.ended('CANCELLED', { type: OrderCancelled, message });
    return ApplicationFailure.create({
      type: OrderCancelled,
      message,
      nonRetryable: true,
      details: [tracker.snapshot()],
    });
  }
  // After an outside cancellation the step in flight may end with its own failure (an attempt that failed while the
  // cancel was on its way is not retried); the order still ends as what was asked for: cancelled.
  if (isCancellation(err) || status.outsideCancellation) {
    const message = `Order ${status.orderId} cancelled. Undone: ${undone}.`;
    tracker.ended('CANCELLED', { type: 'CancelledFailure', message });
    return isCancellation(err) ? err : new CancelledFailure(message); // the workflow's own status: "Canceled"
  }
  const failedStep = status.steps.find((s) => s.status === 'failed')?.step ?? 'an unknown step';
  const type = failureType(err);
  const message = `Order ${status.orderId} failed at ${failedStep}: ${failureMessage(err)}. Undone: ${undone}.`;
  tracker.ended('FAILED', { type, message });
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: [tracker.snapshot()] });
}

function buildResult(
  order: Order,
  tracker: OrderTracker,
  results: Partial<Record<ForwardStep, Receipt<unknown>>>,
): OrderResult {
  const reservation = results.reserveInventory?.result as { reservationId: string };
  const charge = results.chargeCustomer?.result as { chargeId: string };
  const shipment = results.createShipment?.result as { shipmentId: string; trackingNumber: string };
  return {
    orderId: order.orderId,
    reservationId: reservation.reservationId,
    chargeId: charge.chargeId,
    shipmentId: shipment.shipmentId,
    trackingNumber: shipment.trackingNumber,
    totalCents: tracker.snapshot().totalCents,
    notified: results.notifyCustomer !== undefined,
    status: tracker.snapshot(),
  };
}

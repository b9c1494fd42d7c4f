/** Chaos's reading of an outside cancellation: where in the saga it found the order, and which endings are right. */

import { temporal } from '@temporalio/proto';
import type Long from 'long';
import type { JournalEntry } from '../../activities/journal';
import { checkInvariants, type OrderOutcome } from '../../machinery/chaos/invariants';
import {
  acceptableEndings,
  cancellationPhase,
  checkCancellationRecord,
  type CancellationPhase,
} from '../../machinery/chaos/outside-cancellations';
import type { OrderStatus } from '../../domain/status';

const EventType = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;
/** Event ids are int64 in the API; small numbers stand in for them here, as the SDK's Long accepts. */
const id = (n: number) => n as unknown as Long;

const scheduled = (eventId: number, name: string): Event => ({
  eventId: id(eventId),
  eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  activityTaskScheduledEventAttributes: { activityType: { name } },
});
const completed = (eventId: number, scheduledEventId: number): Event => ({
  eventId: id(eventId),
  eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  activityTaskCompletedEventAttributes: { scheduledEventId: id(scheduledEventId) },
});
const cancelRequested = (eventId: number): Event => ({
  eventId: id(eventId),
  eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
});
const saga = [scheduled(5, 'reserveInventory'), completed(7, 5), scheduled(11, 'chargeCustomer'), completed(13, 11)];

test.each<[string, Event[], CancellationPhase, string[]]>([
  ['no request', [...saga, scheduled(17, 'createShipment')], 'not-requested', ['COMPLETED']],
  ['during the charge', [saga[0], saga[1], saga[2], cancelRequested(12)], 'before-shipment', ['CANCELLED']],
  [
    'while the shipment is in flight',
    [...saga, scheduled(17, 'createShipment'), cancelRequested(18), completed(20, 17)],
    'during-shipment',
    ['CANCELLED', 'COMPLETED'],
  ],
  [
    'after the shipment completed',
    [...saga, scheduled(17, 'createShipment'), completed(19, 17), scheduled(23, 'notifyCustomer'), cancelRequested(24)],
    'after-shipment',
    ['COMPLETED'],
  ],
])('a cancel request %s', (_case, events, phase, endings) => {
  expect(cancellationPhase(events)).toBe(phase);
  expect(acceptableEndings(phase)).toEqual(endings);
});

test('an order cancelled after its shipment that ended CANCELLED is a violation', () => {
  const order: OrderOutcome = {
    orderId: 'a',
    workflowId: 'order-a',
    expected: 'COMPLETED',
    acceptable: acceptableEndings('after-shipment'),
    state: 'CANCELLED',
  };
  const journal: JournalEntry[] = [];
  expect(checkInvariants([order], journal)).toEqual([
    { invariant: 'expected-outcome', orderId: 'a', detail: 'order-a ended CANCELLED, expected COMPLETED' },
  ]);
});

test("the workflow's own record must match how the order ended", () => {
  const status = (outcome: 'rolled-back' | 'declined') =>
    ({ outsideCancellation: { at: 'x', outcome } }) as unknown as OrderStatus;
  expect(checkCancellationRecord('order-a', 'COMPLETED', status('declined'))).toEqual([]);
  expect(checkCancellationRecord('order-a', 'CANCELLED', status('rolled-back'))).toEqual([]);
  expect(checkCancellationRecord('order-a', 'COMPLETED', status('rolled-back'))).toEqual([
    {
      invariant: 'outside-cancel-recorded',
      detail: 'order-a ended COMPLETED after an outside cancellation, but its status says rolled-back',
    },
  ]);
});

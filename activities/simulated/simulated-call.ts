/**
 * One simulated service call, forward or undo: what all four services share. A forward call takes its time, acts out
 * the order's faults and records its effect once; an undo records that it undid the effect, or that there was none.
 */

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { EffectVoided, ServiceUnavailable } from '../../domain/errors';
import type { FaultPlan } from '../../domain/faults';
import type { Order } from '../../domain/order';
import { faultsFor } from '../../domain/scenarios';
import type { UndoOutcome } from '../../domain/status';
import type { Compensation, ForwardStep } from '../../domain/steps';
import { EffectVoidedError, type EffectKind, type JournalEntry, type Recorded } from '../journal';
import type { EffectLedger } from '../ledger/effect-ledger';
import type { CallContext, UndoContext } from '../services';
import type { LatencyProfile } from './latency';

/** What every simulated service runs on. */
export interface Simulation {
  journal: EffectLedger;
  latency: LatencyProfile;
  /** How long a "timeout after effect" attempt stays silent. */
  stallMs: number;
}

/** A forward call of one service: the step it performs and the effect it records. */
export interface ForwardSpec<T> {
  step: ForwardStep;
  effect: EffectKind;
  service: string;
  /** Throws the business failure this order's faults call for, if any. */
  check(order: Order, faults: FaultPlan): void;
  result(order: Order, key: string): T;
}

/** An undo of one service: the compensation it performs and how it describes the effect it undid. */
export interface UndoSpec {
  compensation: Compensation;
  effect: EffectKind;
  describe(original: JournalEntry): string;
}

/** Ids derived from the idempotency key: a repeated call would produce the same id anyway. */
export function idFrom(prefix: string, key: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

export async function simulateForward<T>(
  simulation: Simulation,
  spec: ForwardSpec<T>,
  order: Order,
  call: CallContext,
): Promise<Recorded<T>> {
  const { journal, latency, stallMs } = simulation;
  const done = await journal.find(call.idempotencyKey);
  if (done) return { result: done.result as T, deduplicated: true };
  const faults = faultsFor(order);
  const slow = faults.slowStep?.step === spec.step ? faults.slowStep.durationMs : 0;
  await call.work(Math.max(slow, latency[spec.step]));
  const outageAttempts = faults.transientFailures?.[spec.step] ?? 0;
  if (call.attempt <= outageAttempts) {
    throw ApplicationFailure.retryable(
      `${spec.service} unavailable (simulated outage: attempt ${call.attempt} of the first ${outageAttempts} fails)`,
      ServiceUnavailable,
    );
  }
  spec.check(order, faults);
  const recorded = await journal
    .recordOnce<T>(call.idempotencyKey, () => ({
      effect: spec.effect,
      orderId: order.orderId,
      result: spec.result(order, call.idempotencyKey),
      worker: call.worker,
      attempt: call.attempt,
    }))
    .catch((err: unknown) => {
      // A late attempt whose undo already ran: retrying could never make it right.
      if (err instanceof EffectVoidedError) throw ApplicationFailure.nonRetryable(err.message, EffectVoided);
      throw err;
    });
  if (!recorded.deduplicated && call.attempt === 1 && faults.timeoutAfterEffect?.includes(spec.step)) {
    // The effect happened, but the caller never hears back: stay silent until the attempt times out.
    await sleep(stallMs);
    throw ApplicationFailure.retryable(
      `${spec.service} response lost (simulated timeout after the effect)`,
      ServiceUnavailable,
    );
  }
  return recorded;
}

export async function simulateUndo(
  simulation: Simulation,
  spec: UndoSpec,
  order: Order,
  call: UndoContext,
): Promise<Recorded<UndoOutcome>> {
  const { journal, latency } = simulation;
  const done = await journal.find(call.idempotencyKey);
  if (done) return { result: done.result as UndoOutcome, deduplicated: true };
  await call.work(latency[spec.compensation]);
  return journal.recordUndo<UndoOutcome>(call.idempotencyKey, call.undoKey, (original) => ({
    effect: spec.effect,
    orderId: order.orderId,
    // Nothing to undo is a normal outcome: the step failed before it had any effect.
    result: original ? { undone: true, detail: spec.describe(original) } : { undone: false, detail: 'nothing to undo' },
    worker: call.worker,
    attempt: call.attempt,
  }));
}

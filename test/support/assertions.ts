/** Helpers that read what happened: the failure a workflow ended with, and the journal's effects for an order. */

import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EffectJournal, JournalEntry } from '../../activities/journal';
import type { OrderStatus } from '../../domain/status';

export async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  try {
    await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) return err.cause;
    throw err;
  }
  throw new Error(`workflow ${handle.workflowId} completed, but a failure was expected`);
}

export function statusIn(failure: ApplicationFailure): OrderStatus {
  return failure.details?.[0] as OrderStatus;
}

export async function effectsOf(journal: EffectJournal, orderId: string): Promise<JournalEntry[]> {
  return (await journal.entries()).filter((entry) => entry.orderId === orderId);
}

export function effectKinds(entries: JournalEntry[]): string[] {
  return entries.map((entry) => entry.effect);
}

/** Event types of a workflow's history, to check what was (not) scheduled. */
export async function historyEventTypes(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((event) => String(event.eventType));
}

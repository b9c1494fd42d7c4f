/** What every phase of a chaos run shares: the plan, the stack it runs on, and what has happened so far. */

import type { Client } from '@temporalio/client';
import type { RunLedger } from '../devstack/run-ledger';
import type { ServerlessStack } from '../devstack/serverless-stack';
import type { ChaosArgs } from './chaos-args';
import type { ChaosEvent } from './chaos-schedule';
import type { LedgerFaultCounts } from './ledger-faults';
import type { LocalWorker } from './local-worker';
import type { OutsideCancellationCounts } from './outside-cancellations';
import type { SettledOrder } from './order-outcome';
import type { PlannedOrder } from './order-plan';
import type { RestartRecord } from './reconnection';
import type { ChaosCounts, ChaosResult } from './report';

export interface ChaosRun {
  args: ChaosArgs;
  startedAt: number;
  /** A line on the terminal, stamped with the seconds since the start. */
  log(line: string): void;
  /** A line that also goes into the result's timeline. */
  record(what: string): void;
  timeline: ChaosResult['timeline'];
  random: () => number;
  windowMs: number;
  planned: PlannedOrder[];
  byWorkflow: Map<string, PlannedOrder>;
  events: ChaosEvent[];
  latencyScale: string;
  ledger: RunLedger;
  stack: ServerlessStack;
  worker: LocalWorker;
  client: Client;
  counts: ChaosCounts;
  ledgerFaults: LedgerFaultCounts;
  /** The fragments torn into the journal, to find them moved aside afterwards. */
  tornFragments: string[];
  cancellations: OutsideCancellationCounts;
  /** Each planned order's ending, by its index in `planned` (undefined while it runs). */
  settled: (SettledOrder | undefined)[];
  submitted: Set<string>;
  /** When the submission window opened; every order and strike is timed from here. */
  goAt: number;
  /** After this, an order still running counts as lost. */
  deadline: number;
  allSettled: boolean;
  restart?: RestartRecord;
}

/** Orders submitted and not yet ended. */
/** The file journal's path, on the file ledger. */
export function journalPathOf(run: ChaosRun): string | undefined {
  return run.ledger.choice === 'file' ? run.ledger.env.SHOPFLOW_JOURNAL : undefined;
}

export function openWorkflows(run: ChaosRun): string[] {
  return run.planned.filter((p, i) => run.submitted.has(p.workflowId) && !run.settled[i]).map((p) => p.workflowId);
}

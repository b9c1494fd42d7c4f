/** `npm run chaos` options. */

import { UsageError, parseCommandLine } from '../../client/command-line';
import { LEDGER_CHOICES, isLedgerChoice, type LedgerChoice } from '../devstack/run-ledger';

export interface ChaosArgs {
  orders: number;
  seed: number;
  ledger: LedgerChoice;
  help: boolean;
}

export const MAX_ORDERS = 1_000;

export const CHAOS_USAGE = `Usage: npm run chaos -- [--orders N] [--seed S] [--ledger file|dynamodb]

Runs orders of every scenario, some with extra injected faults, while the local worker is SIGKILLed and restarted,
Lambda execution environments crash and the Temporal dev server restarts once; then checks from the effect journal
and the orders' results that every order ended as its scenario implies, nothing was lost, charged twice or left
unreleased, unrefunded or uncancelled. Prints what it broke and when, writes data/chaos/result.json, exits 1 on any
violation. Everything it starts is stopped at the end, also on Ctrl+C.

  --orders N   orders to run (1-${MAX_ORDERS}, default 40)
  --seed S     seed of the random schedule (a whole number; default: random, printed so a run can be replayed)
  --ledger K   file (default: one journal file shared by the local worker and the Lambda) or dynamodb (a table on
               a local DynamoDB-compatible server, moto, which every worker reaches as it would on AWS)`;

export function parseChaosArgs(
  argv: string[],
  randomSeed: () => number = () => Math.floor(Math.random() * 1_000_000),
): ChaosArgs {
  const values = parseCommandLine(
    {
      orders: { type: 'string' },
      seed: { type: 'string' },
      ledger: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  );
  const orders = Number(values.orders ?? 40);
  if (!/^\d+$/.test(values.orders ?? '40') || orders < 1 || orders > MAX_ORDERS) {
    throw new UsageError(`--orders must be a whole number from 1 to ${MAX_ORDERS} (got "${values.orders}")`);
  }
  if (values.seed !== undefined && !/^\d{1,9}$/.test(values.seed))
    throw new UsageError(`--seed must be a whole number (got "${values.seed}")`);
  const ledger = values.ledger ?? 'file';
  if (!isLedgerChoice(ledger))
    throw new UsageError(`--ledger must be one of ${LEDGER_CHOICES.join(', ')} (got "${ledger}")`);
  return {
    orders,
    seed: values.seed === undefined ? randomSeed() : Number(values.seed),
    ledger,
    help: Boolean(values.help),
  };
}

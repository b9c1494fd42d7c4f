/**
 * The ledger a demo or chaos run uses (`--ledger file|dynamodb`): the journal file in the run's folder, or a
 * DynamoDB table on moto's local server. Gives the environment the local worker and the Lambda function need to
 * share it, and reads it back for the run's summary and invariants.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JournalEntry } from '../../activities/journal';
import { parseJournalText } from '../../activities/journal-format';
import { DynamoDbLedger } from '../../activities/ledger/dynamodb-ledger';
import { LedgerUnavailableError } from '../../activities/ledger/ledger-errors';
import { startDynamoDbFaultProxy, type FaultProxy } from './dynamodb-fault-proxy';
import { createLedgerTable } from './ledger-table';
import {
  MOTO_CREDENTIALS,
  LOCAL_AWS_REGION,
  localAwsEnvironment,
  localFunctionEnvironment,
} from '../lambda-local/local-aws-clients';
import { startRestartableMoto } from './restartable-moto';

export const LEDGER_CHOICES = ['file', 'dynamodb'] as const;
export type LedgerChoice = (typeof LEDGER_CHOICES)[number];
export const RUN_LEDGER_TABLE = 'shopflow-ledger';
const READ_RETRY_MS = 30_000;

export interface RunLedger {
  choice: LedgerChoice;
  description: string;
  /** Variables for the local worker (region and moto's placeholder keys included), to record in this ledger. */
  env: Record<string, string>;
  /**
   * The Lambda function's variables for the same ledger: no reserved key (AWS_REGION, credentials), which Lambda
   * refuses; the service gives the function its region and its execution role's credentials.
   */
  functionEnv: Record<string, string>;
  /** Every entry recorded (for the file: every line, duplicates included, which the invariants look for). */
  read(): Promise<JournalEntry[]>;
  /** DynamoDB only: restarts the local server (its data kept, as DynamoDB's is); resolves with the downtime. */
  restart?: () => Promise<number>;
  /** DynamoDB with `ambiguousWrites` only: the workers' writes that committed and then lost their reply. */
  ambiguousWrites?: () => number;
}

/** A share of the workers' writes (PutItem, UpdateItem) that commit and then lose their reply. */
export interface AmbiguousWrites {
  share: number;
  /** Chooses which writes (a seeded generator, so a run can be replayed). */
  random: () => number;
}

export function isLedgerChoice(value: string): value is LedgerChoice {
  return (LEDGER_CHOICES as readonly string[]).includes(value);
}

/**
 * The journal file's entries as written, duplicates included; the text after the last newline is not an entry. A
 * damaged line throws JournalCorruptError, as it does in the journal itself: a report never skips one.
 */
export function readJournalLines(file: string): JournalEntry[] {
  if (!fs.existsSync(file)) return [];
  return parseJournalText(fs.readFileSync(file, 'utf8'), file).entries;
}

/** The run's own reads ride out a restart of the ledger server, as the activities' retries do. */
async function readRetrying(ledger: DynamoDbLedger): Promise<JournalEntry[]> {
  const deadline = Date.now() + READ_RETRY_MS;
  try {
    for (;;) {
      try {
        return await ledger.entries();
      } catch (err) {
        const down = err instanceof LedgerUnavailableError && err.problem === 'unreachable';
        if (!down || Date.now() > deadline) throw err;
        await sleep(500);
      }
    }
  } finally {
    await ledger.close();
  }
}

export async function startRunLedger(
  choice: LedgerChoice,
  options: {
    dir: string;
    own: (name: string, stop: () => Promise<void> | void) => void;
    step: (line: string) => void;
    ambiguousWrites?: AmbiguousWrites;
  },
): Promise<RunLedger> {
  if (choice === 'file') {
    const file = path.join(options.dir, 'journal.jsonl');
    const read = async () => readJournalLines(file);
    const env = { SHOPFLOW_JOURNAL: file };
    return { choice, description: `file journal ${file}`, env, functionEnv: env, read };
  }
  options.step('starting the DynamoDB-compatible ledger server (moto)...');
  const server = await startRestartableMoto(options.dir);
  options.own('DynamoDB ledger server (moto)', () => server.stop());
  const where = { tableName: RUN_LEDGER_TABLE, region: LOCAL_AWS_REGION, endpoint: server.endpoint };
  await createLedgerTable(where);
  options.step(`ledger: DynamoDB table ${RUN_LEDGER_TABLE} at ${server.endpoint}`);
  // The workers reach the table through the fault proxy; the run's own reads go straight to it.
  const proxy = options.ambiguousWrites && (await startAmbiguousWriteProxy(server.endpoint, options.ambiguousWrites));
  if (proxy) {
    options.own('DynamoDB fault proxy', () => proxy.close());
    const percent = Math.round(options.ambiguousWrites!.share * 100);
    options.step(`ledger: ${percent}% of the workers' writes commit and then lose their reply (${proxy.endpoint})`);
  }
  const workersEndpoint = proxy?.endpoint ?? server.endpoint;
  return {
    choice,
    description: `DynamoDB table ${RUN_LEDGER_TABLE} at ${server.endpoint}`,
    env: { SHOPFLOW_LEDGER: `dynamodb:${RUN_LEDGER_TABLE}`, ...localAwsEnvironment(workersEndpoint, 'DYNAMODB') },
    functionEnv: {
      SHOPFLOW_LEDGER: `dynamodb:${RUN_LEDGER_TABLE}`,
      ...localFunctionEnvironment(workersEndpoint, 'DYNAMODB'),
    },
    read: () => readRetrying(new DynamoDbLedger({ ...where, credentials: MOTO_CREDENTIALS })),
    restart: () => server.restart(),
    ambiguousWrites: proxy ? () => proxy.disturbed.length : undefined,
  };
}

function startAmbiguousWriteProxy(target: string, { share, random }: AmbiguousWrites): Promise<FaultProxy> {
  return startDynamoDbFaultProxy({
    target,
    decide: (operation) => {
      if (operation !== 'PutItem' && operation !== 'UpdateItem') return 'forward';
      const roll = random();
      if (roll >= share) return 'forward';
      return roll < share / 2 ? 'commit-then-drop' : 'commit-then-500';
    },
  });
}

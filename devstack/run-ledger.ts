/**
 * The ledger a demo or chaos run uses (`--ledger file|dynamodb`): the journal file in the run's folder, or a
 * DynamoDB table on moto's local server. Gives the environment the local worker and the Lambda function need to
 * share it, and reads it back for the run's summary and invariants.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JournalEntry } from '../activities/journal';
import { parseJournalText } from '../activities/journal-format';
import { DynamoDbLedger } from '../activities/ledger/dynamodb-ledger';
import { LedgerUnavailableError } from '../activities/ledger/ledger-errors';
import { createLedgerTable } from './ledger-table';
import { LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION, localAwsEnvironment } from './local-aws-clients';
import { startRestartableMoto } from './restartable-moto';

export const LEDGER_CHOICES = ['file', 'dynamodb'] as const;
export type LedgerChoice = (typeof LEDGER_CHOICES)[number];
export const RUN_LEDGER_TABLE = 'shopflow-ledger';
const READ_RETRY_MS = 30_000;

export interface RunLedger {
  choice: LedgerChoice;
  description: string;
  /** Variables for the local worker and the Lambda function, so both record in this ledger. */
  env: Record<string, string>;
  /** Every entry recorded (for the file: every line, duplicates included, which the invariants look for). */
  read(): Promise<JournalEntry[]>;
  /** DynamoDB only: restarts the local server (its data kept, as DynamoDB's is); resolves with the downtime. */
  restart?: () => Promise<number>;
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
  options: { dir: string; own: (name: string, stop: () => Promise<void> | void) => void; step: (line: string) => void },
): Promise<RunLedger> {
  if (choice === 'file') {
    const file = path.join(options.dir, 'journal.jsonl');
    const read = async () => readJournalLines(file);
    return { choice, description: `file journal ${file}`, env: { SHOPFLOW_JOURNAL: file }, read };
  }
  options.step('starting the DynamoDB-compatible ledger server (moto)...');
  const server = await startRestartableMoto(options.dir);
  options.own('DynamoDB ledger server (moto)', () => server.stop());
  const where = { tableName: RUN_LEDGER_TABLE, region: LOCAL_AWS_REGION, endpoint: server.endpoint };
  await createLedgerTable(where);
  options.step(`ledger: DynamoDB table ${RUN_LEDGER_TABLE} at ${server.endpoint}`);
  return {
    choice,
    description: `DynamoDB table ${RUN_LEDGER_TABLE} at ${server.endpoint}`,
    env: { SHOPFLOW_LEDGER: `dynamodb:${RUN_LEDGER_TABLE}`, ...localAwsEnvironment(server.endpoint, 'DYNAMODB') },
    read: () => readRetrying(new DynamoDbLedger({ ...where, credentials: LOCAL_AWS_CREDENTIALS })),
    restart: () => server.restart(),
  };
}

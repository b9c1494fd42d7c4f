/** Opens the ledger the configuration names: the journal file or the shared DynamoDB table. */

import type { LedgerConfig } from '../../config/ledger-config';
import { EffectJournal } from '../journal';
import type { EffectLedger } from './effect-ledger';

export function openLedger(config: LedgerConfig): EffectLedger {
  if (config.kind === 'file') return new EffectJournal(config.path);
  // Loaded only when used: the AWS SDK's DynamoDB client would otherwise add its module load to every cold start
  // of a Lambda (and every local worker) that records in a journal file.
  const { DynamoDbLedger } = require('./dynamodb-ledger') as typeof import('./dynamodb-ledger');
  return new DynamoDbLedger({ tableName: config.tableName, region: config.region, endpoint: config.endpoint });
}

/** For start-up banners: where effects go, without secrets. */
export function describeLedgerConfig(config: LedgerConfig): string {
  if (config.kind === 'file') return `file journal ${config.path}`;
  return `DynamoDB table ${config.tableName} (${config.region}${config.endpoint ? ` at ${config.endpoint}` : ''})`;
}

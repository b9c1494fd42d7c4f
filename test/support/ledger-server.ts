/**
 * The DynamoDB-compatible server (moto) for the test files that need one: started lazily by the first such test
 * in a file and stopped after it, so test files that never touch DynamoDB pay nothing for it.
 */

import { randomUUID } from 'node:crypto';
import { DynamoDbLedger } from '../../activities/ledger/dynamodb-ledger';
import type { LedgerConfig } from '../../config/ledger-config';
import { createLedgerTable } from '../../machinery/devstack/ledger-table';
import {
  MOTO_CREDENTIALS,
  LOCAL_AWS_REGION,
  localAwsEnvironment,
  localFunctionEnvironment,
} from '../../machinery/lambda-local/local-aws-clients';
import { startMotoServer, type MotoServer } from '../../machinery/devstack/moto-server';

let server: Promise<MotoServer> | undefined;

/** Starts moto on first use; call `stopLedgerServer` in the file's afterAll. */
export function ledgerServer(): Promise<MotoServer> {
  server ??= startMotoServer();
  return server;
}

export async function stopLedgerServer(): Promise<void> {
  const started = server;
  server = undefined;
  await (await started)?.stop();
}

export interface TestTable {
  config: Extract<LedgerConfig, { kind: 'dynamodb' }>;
  /** What a worker process needs in its environment to use this table (placeholder credentials for moto). */
  env: Record<string, string>;
  /** What a Lambda function's configuration needs for this table: no reserved key (the service gives the rest). */
  functionEnv: Record<string, string>;
  open(): DynamoDbLedger;
}

/** A fresh, empty ledger table on the test server. */
export async function freshLedgerTable(prefix = 'ledger'): Promise<TestTable> {
  const { endpoint } = await ledgerServer();
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createLedgerTable({ tableName, region: LOCAL_AWS_REGION, endpoint });
  const config = { kind: 'dynamodb' as const, tableName, region: LOCAL_AWS_REGION, endpoint };
  return {
    config,
    env: { SHOPFLOW_LEDGER: `dynamodb:${tableName}`, ...localAwsEnvironment(endpoint, 'DYNAMODB') },
    functionEnv: { SHOPFLOW_LEDGER: `dynamodb:${tableName}`, ...localFunctionEnvironment(endpoint, 'DYNAMODB') },
    open: () => new DynamoDbLedger({ ...config, credentials: MOTO_CREDENTIALS }),
  };
}

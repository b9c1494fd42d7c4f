/** Creates the ledger's DynamoDB table (layout: activities/ledger/ledger-table.ts) and waits until it is usable. */

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { ledgerTableDefinition } from '../activities/ledger/ledger-table';
import { waitFor } from './wait-for';

export interface LedgerTableLocation {
  tableName: string;
  region: string;
  endpoint?: string;
}

/** Placeholder credentials for a local server (moto does not check them); real AWS uses the normal chain. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'shopflow-local', secretAccessKey: 'shopflow-local' };

/** Idempotent: an existing table is left as it is. */
export async function createLedgerTable(where: LedgerTableLocation): Promise<void> {
  const client = new DynamoDBClient({
    region: where.region,
    endpoint: where.endpoint,
    ...(where.endpoint ? { credentials: LOCAL_AWS_CREDENTIALS } : {}),
  });
  try {
    await client.send(new CreateTableCommand(ledgerTableDefinition(where.tableName))).catch((err: unknown) => {
      if (!(err instanceof ResourceInUseException)) throw err;
    });
    await waitFor(
      async () =>
        (await client.send(new DescribeTableCommand({ TableName: where.tableName }))).Table?.TableStatus === 'ACTIVE',
      { timeoutMs: 60_000, what: `table ${where.tableName} to become ACTIVE`, intervalMs: 200 },
    );
  } finally {
    client.destroy();
  }
}

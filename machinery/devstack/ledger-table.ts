/** Creates the ledger's DynamoDB table (layout: activities/ledger/ledger-table.ts) and waits until it is usable. */

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { ledgerTableDefinition } from '../../activities/ledger/ledger-table';
import { localAwsClient } from '../lambda-local/local-aws-clients';
import { waitFor } from '../plumbing/wait-for';

export interface LedgerTableLocation {
  tableName: string;
  region: string;
  endpoint?: string;
}

/** Idempotent: an existing table is left as it is. */
export async function createLedgerTable(where: LedgerTableLocation): Promise<void> {
  // A local server (moto) at an endpoint, else real AWS through the SDK's usual chain.
  const client = where.endpoint
    ? localAwsClient(DynamoDBClient, where.endpoint, { region: where.region })
    : new DynamoDBClient({ region: where.region });
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

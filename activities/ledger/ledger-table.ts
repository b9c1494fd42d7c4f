/**
 * The DynamoDB ledger table's layout, defined once: the CloudFormation template, the local table creator and the
 * ledger itself all follow it.
 *
 * One item per idempotency key (the partition key), so every rule is a condition on a single item:
 * - a recorded effect: key, effect, orderId, result, worker, attempt, at (and undoes, for an undo);
 * - `undoneBy` on a forward key: its undo ran. When the forward effect never happened the item holds only the key
 *   and `undoneBy` (a void marker): the forward effect's conditional put then fails, and the late attempt is refused.
 * The `by-order` index holds only items with an orderId (void markers have none), sorted by time.
 */

export const LEDGER_KEY_ATTRIBUTE = 'idempotencyKey';
export const LEDGER_ORDER_INDEX = 'by-order';
export const LEDGER_ORDER_ATTRIBUTE = 'orderId';
export const LEDGER_TIME_ATTRIBUTE = 'at';
export const LEDGER_UNDONE_BY_ATTRIBUTE = 'undoneBy';

/** The item actions a worker's services make, and nothing else: all that the Lambda function's role is granted. */
export const LEDGER_WORKER_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/** What the tools that list the ledger (demo summary, chaos invariants) add, on the laptop's credentials only. */
export const LEDGER_READER_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'] as const;

/** CreateTable input (also the shape of the CloudFormation resource's properties). */
export function ledgerTableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: LEDGER_KEY_ATTRIBUTE, AttributeType: 'S' as const },
      { AttributeName: LEDGER_ORDER_ATTRIBUTE, AttributeType: 'S' as const },
      { AttributeName: LEDGER_TIME_ATTRIBUTE, AttributeType: 'S' as const },
    ],
    KeySchema: [{ AttributeName: LEDGER_KEY_ATTRIBUTE, KeyType: 'HASH' as const }],
    GlobalSecondaryIndexes: [
      {
        IndexName: LEDGER_ORDER_INDEX,
        KeySchema: [
          { AttributeName: LEDGER_ORDER_ATTRIBUTE, KeyType: 'HASH' as const },
          { AttributeName: LEDGER_TIME_ATTRIBUTE, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}

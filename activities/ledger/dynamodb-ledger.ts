/**
 * The DynamoDB backend of the ledger, shared by the laptop's worker and every Lambda environment. Each rule is one
 * conditional write on one item keyed by the idempotency key (the technique of Powertools' idempotency utility),
 * so it holds with any number of concurrent writers and needs no transactions (see ledger-table.ts for the items).
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';
import { EffectVoidedError, type JournalEntry, type Recorded } from '../journal';
import { byTimeThenKey, type EffectLedger, type ForwardBody } from './effect-ledger';
import { describeLedgerError, type LedgerLocation } from './ledger-errors';
import {
  LEDGER_KEY_ATTRIBUTE,
  LEDGER_ORDER_ATTRIBUTE,
  LEDGER_ORDER_INDEX,
  LEDGER_UNDONE_BY_ATTRIBUTE,
} from './ledger-table';

type Item = Record<string, unknown>;

/** An item is an entry when it records an effect; a void marker (only key and undoneBy) is not. */
function toEntry(item: Item | undefined): JournalEntry | undefined {
  if (!item || typeof item.effect !== 'string') return undefined;
  const { [LEDGER_KEY_ATTRIBUTE]: key, [LEDGER_UNDONE_BY_ATTRIBUTE]: _undoneBy, ...rest } = item;
  return { key, ...rest } as JournalEntry;
}

function toItem(entry: JournalEntry): Item {
  const { key, ...rest } = entry;
  return { [LEDGER_KEY_ATTRIBUTE]: key, ...rest };
}

export interface DynamoDbLedgerOptions extends LedgerLocation {
  /** Default: the SDK's usual chain (environment, profile, the Lambda role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** For tests that count or disturb requests; by default one is made from the location. */
  client?: DynamoDBClient;
}

export class DynamoDbLedger implements EffectLedger {
  private readonly client: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;
  private readonly where: LedgerLocation;

  constructor(options: DynamoDbLedgerOptions) {
    this.where = { tableName: options.tableName, region: options.region, endpoint: options.endpoint };
    const { region, endpoint, credentials } = options;
    this.client = options.client ?? new DynamoDBClient({ region, endpoint, credentials });
    this.documents = DynamoDBDocumentClient.from(this.client, { marshallOptions: { removeUndefinedValues: true } });
  }

  get description(): string {
    const at = this.where.endpoint ? ` at ${this.where.endpoint}` : '';
    return `DynamoDB table ${this.where.tableName} (${this.where.region}${at})`;
  }

  async find(key: string): Promise<JournalEntry | undefined> {
    return toEntry(await this.item(key));
  }

  async recordOnce<T>(key: string, build: () => ForwardBody<T>): Promise<Recorded<T>> {
    return this.putOnce<T>({ key, ...build(), at: new Date().toISOString() });
  }

  async recordUndo<T>(
    key: string,
    undoes: string,
    build: (original: JournalEntry | undefined) => ForwardBody<T>,
  ): Promise<Recorded<T>> {
    // Marks the forward item first: from now on its conditional put fails, so what we see is final. When the
    // effect never happened this creates a void marker. A crash before the put below is repaired by the retry.
    const marked = await this.call(`marking ${undoes} as undone by ${key}`, () =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.where.tableName,
          Key: { [LEDGER_KEY_ATTRIBUTE]: undoes },
          UpdateExpression: 'SET #undoneBy = if_not_exists(#undoneBy, :undo)',
          ExpressionAttributeNames: { '#undoneBy': LEDGER_UNDONE_BY_ATTRIBUTE },
          ExpressionAttributeValues: { ':undo': key },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const original = toEntry(marked.Attributes);
    return this.putOnce<T>({ key, ...build(original), undoes, at: new Date().toISOString() });
  }

  async entries(): Promise<JournalEntry[]> {
    const pages = paginateScan({ client: this.documents }, { TableName: this.where.tableName, ConsistentRead: true });
    return this.call('reading every entry', () => collectEntries(pages));
  }

  /** Through the by-order index (eventually consistent, as every global index is: fine for reports). */
  async entriesForOrder(orderId: string): Promise<JournalEntry[]> {
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.where.tableName,
        IndexName: LEDGER_ORDER_INDEX,
        KeyConditionExpression: '#order = :order',
        ExpressionAttributeNames: { '#order': LEDGER_ORDER_ATTRIBUTE },
        ExpressionAttributeValues: { ':order': orderId },
      },
    );
    return this.call(`reading order ${orderId}`, () => collectEntries(pages));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Writes `entry` unless its key holds an item: then the first entry is returned, or a void marker refuses it. */
  private async putOnce<T>(entry: JournalEntry): Promise<Recorded<T>> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.where.tableName,
          Item: toItem(entry),
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': LEDGER_KEY_ATTRIBUTE },
        }),
      );
      return { result: entry.result as T, deduplicated: false };
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') {
        throw describeLedgerError(err, this.where, `recording ${entry.key}`);
      }
    }
    // The key holds an item. It may be this very entry: a put that committed but whose reply was lost (a cut
    // connection, a 500) is retried by the SDK, and the retry's condition fails on our own first write.
    const existing = toEntry(await this.item(entry.key));
    if (!existing) throw new EffectVoidedError(entry.key);
    return { result: existing.result as T, deduplicated: !isSameEntry(existing, entry) };
  }

  private async item(key: string): Promise<Item | undefined> {
    const found = await this.call(`reading ${key}`, () =>
      this.documents.send(
        new GetCommand({ TableName: this.where.tableName, Key: { [LEDGER_KEY_ATTRIBUTE]: key }, ConsistentRead: true }),
      ),
    );
    return found.Item;
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw describeLedgerError(err, this.where, operation);
    }
  }
}

function isSameEntry(a: JournalEntry, b: JournalEntry): boolean {
  return (
    a.at === b.at &&
    a.worker === b.worker &&
    a.attempt === b.attempt &&
    JSON.stringify(a.result) === JSON.stringify(b.result)
  );
}

/** Every page's entries (the SDK's paginator follows LastEvaluatedKey), oldest first. */
async function collectEntries(pages: AsyncIterable<{ Items?: Item[] }>): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const entry = toEntry(item);
      if (entry) entries.push(entry);
    }
  }
  return entries.sort(byTimeThenKey);
}

/**
 * Which ledger the services record their effects in (SHOPFLOW_LEDGER), validated once:
 * - `file` (the default): the journal file, shared only by processes on one machine;
 * - `dynamodb:<table>`: a DynamoDB table every worker reaches (the laptop's and every Lambda environment), in
 *   AWS_REGION, at AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL) when a local DynamoDB-compatible server is used.
 */

import { ConfigError } from './config-error';

export type LedgerConfig =
  { kind: 'file'; path: string } | { kind: 'dynamodb'; tableName: string; region: string; endpoint?: string };

/** DynamoDB's own rule for table names. */
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const EXAMPLE = 'for example SHOPFLOW_LEDGER=dynamodb:shopflow-ledger';

function endpointFrom(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL'] as const) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(
        `${name} "${value}" is not an http(s) URL: use e.g. http://127.0.0.1:5000, or unset it to reach AWS`,
      );
    }
    return value.replace(/\/+$/, '');
  }
  return undefined;
}

export function loadLedgerConfig(env: NodeJS.ProcessEnv, journalPath: string): LedgerConfig {
  const raw = env.SHOPFLOW_LEDGER?.trim() ?? '';
  if (raw === '' || raw === 'file') return { kind: 'file', path: journalPath };
  const match = /^dynamodb:(.*)$/.exec(raw);
  if (!match) {
    throw new ConfigError(
      `SHOPFLOW_LEDGER "${raw}" is not a ledger: use \`file\` (the default, the journal file) ` +
        `or \`dynamodb:<table>\` (${EXAMPLE})`,
    );
  }
  const tableName = match[1].trim();
  if (!TABLE_NAME_PATTERN.test(tableName)) {
    throw new ConfigError(
      `SHOPFLOW_LEDGER names DynamoDB table "${tableName}", which is not a valid table name: ` +
        `use 3 to 255 letters, digits, '_', '-' or '.' (${EXAMPLE})`,
    );
  }
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigError(
      `SHOPFLOW_LEDGER=dynamodb:${tableName} needs the table's region: set AWS_REGION (for example us-east-1)`,
    );
  }
  return { kind: 'dynamodb', tableName, region, endpoint: endpointFrom(env) };
}

/**
 * A worker connected to Temporal Cloud shares its orders with Lambda environments, which cannot see this machine's
 * journal file: a charge recorded here would be invisible to a refund running there, and a retry there would
 * charge again. So a Temporal Cloud connection needs the shared DynamoDB ledger.
 */
export function checkLedgerForTemporal(ledger: LedgerConfig, temporalAddress: string, isCloud: boolean): void {
  if (!isCloud || ledger.kind !== 'file') return;
  throw new ConfigError(
    `this worker connects to Temporal Cloud (${temporalAddress}) but records effects in the file journal ` +
      `${ledger.path}, which the Lambda environments cannot see: set SHOPFLOW_LEDGER=dynamodb:<table> and AWS_REGION ` +
      "(the same as the function's; docs/deploy-to-aws.md), for example in .env",
  );
}

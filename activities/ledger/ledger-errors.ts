/**
 * Turns the AWS SDK's errors into ones a person can act on: each names the table, the region, the endpoint and the
 * fix. They are ordinary (retryable) errors, so an activity that meets one is retried by Temporal, and nothing is
 * recorded by the failed call.
 */

import { LEDGER_READER_ACTIONS, LEDGER_WORKER_ACTIONS } from './ledger-table';

export interface LedgerLocation {
  tableName: string;
  region: string;
  /** Set for a local DynamoDB-compatible server; undefined means AWS itself. */
  endpoint?: string;
}

export type LedgerProblem = 'missing-table' | 'access-denied' | 'throttled' | 'unreachable' | 'other';

export class LedgerUnavailableError extends Error {
  constructor(
    message: string,
    readonly problem: LedgerProblem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LedgerUnavailableError';
  }
}

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);
const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ThrottlingError',
]);
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  /** Node reports a failed connection to a host with several addresses as an AggregateError. */
  errors?: SdkError[];
}

/** The code, or (when the SDK wrapped an error from another realm, as under jest) the code in the message. */
const UNREACHABLE_IN_MESSAGE = new RegExp(`\\b(${[...UNREACHABLE_CODES].join('|')})\\b`);

function unreachable(err: SdkError): boolean {
  if (err.code && UNREACHABLE_CODES.has(err.code)) return true;
  if (err.message && UNREACHABLE_IN_MESSAGE.test(err.message)) return true;
  return err.name === 'TimeoutError' || (err.errors ?? []).some(unreachable);
}

function classify(err: SdkError): LedgerProblem {
  if (err.name === 'ResourceNotFoundException') return 'missing-table';
  if (err.name && ACCESS_DENIED.has(err.name)) return 'access-denied';
  if (err.name && THROTTLED.has(err.name)) return 'throttled';
  if (unreachable(err)) return 'unreachable';
  return 'other';
}

function fixFor(problem: LedgerProblem, where: LedgerLocation): string {
  const table = where.tableName;
  switch (problem) {
    case 'missing-table':
      return (
        `create table "${table}" in ${where.region} (infra/iam-roles.json, or locally ` +
        '`createLedgerTable` from machinery/devstack/ledger-table.ts), or point SHOPFLOW_LEDGER and AWS_REGION at the ' +
        'table and region that exist'
      );
    case 'access-denied':
      return (
        `give the worker's role ${LEDGER_WORKER_ACTIONS.join(', ')} on table "${table}" (infra/iam-roles.json ` +
        `does; tools that list the ledger also need ${LEDGER_READER_ACTIONS.join(', ')}), or check the credentials ` +
        'it runs with (AWS_PROFILE, AWS_ACCESS_KEY_ID)'
      );
    case 'throttled':
      return (
        `table "${table}" refused requests after the SDK's retries: use on-demand capacity ` +
        '(BillingMode PAY_PER_REQUEST, as infra/iam-roles.json does) or raise its capacity; the activity retries'
      );
    case 'unreachable':
      return where.endpoint
        ? `start the DynamoDB-compatible server at ${where.endpoint}, ` +
            'or fix AWS_ENDPOINT_URL_DYNAMODB (unset it for AWS)'
        : `check the network and AWS_REGION ("${where.region}"), or set AWS_ENDPOINT_URL_DYNAMODB for a local server`;
    default:
      return 'check SHOPFLOW_LEDGER, AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB';
  }
}

/** `operation` says what the ledger was doing ("recording chargeCustomer's key ..."). */
export function describeLedgerError(err: unknown, where: LedgerLocation, operation: string): LedgerUnavailableError {
  const cause = err as SdkError;
  const problem = classify(cause);
  const at = where.endpoint ? ` at ${where.endpoint}` : '';
  const message =
    `DynamoDB ledger "${where.tableName}" (region ${where.region}${at}) failed while ${operation}: ` +
    `${cause.name ?? 'Error'}: ${cause.message || cause.errors?.[0]?.message || String(err)}. ` +
    `Fix: ${fixFor(problem, where)}.`;
  return new LedgerUnavailableError(message, problem, { cause: err });
}

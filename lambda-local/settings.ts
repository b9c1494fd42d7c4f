/** The local Lambda service's defaults: Lambda's own numbers where they matter, shorter waits where a demo needs them. */

export const LOCAL_LAMBDA_DEFAULTS = {
  port: 9001,
  region: 'us-east-1',
  accountId: '000000000000',
  /** Like an account's concurrency limit; a function's reserved concurrency lowers it. */
  accountConcurrency: 10,
  /** Warm environments are reaped after this long without an invocation. */
  idleEnvironmentTtlMs: 5 * 60_000,
  /** Lambda retries a failed asynchronous event twice; locally the waits are shorter (Lambda: about 1 and 2 min). */
  asyncRetryDelaysMs: [5_000, 10_000],
  /** Asynchronous events older than this are dropped (Lambda: 6 hours). */
  maxEventAgeMs: 6 * 60 * 60_000,
  maxSyncPayloadBytes: 6 * 1024 * 1024,
  maxAsyncPayloadBytes: 256 * 1024,
  maxResponseBytes: 6 * 1024 * 1024,
  maxZipBytes: 50 * 1024 * 1024,
  defaultTimeoutSeconds: 3,
  defaultMemoryMb: 128,
} as const;

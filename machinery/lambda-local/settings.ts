/** The local Lambda service's defaults: Lambda's own numbers where they matter, shorter waits where a demo needs them. */

import { LAMBDA_PACKAGE_QUOTAS } from '../../config/settings';

export const LOCAL_LAMBDA_DEFAULTS = {
  port: 9001,
  region: 'us-east-1',
  accountId: '000000000000',
  /** Like an account's concurrency limit; a function's reserved concurrency lowers it. */
  accountConcurrency: 10,
  /** Warm environments are reaped after this long without an invocation. */
  idleEnvironmentTtlMs: 5 * 60_000,
  /**
   * Lambda retries a failed asynchronous event twice, "with a one-minute wait between the first two attempts, and
   * two minutes between the second and third attempts" (AWS docs, invocation-async-error-handling). Tests that need a
   * retry to finish quickly pass shorter waits (`asyncRetryDelaysMs`), and the service then says so at start.
   */
  asyncRetryDelaysMs: [60_000, 120_000],
  /**
   * An event that finds its function at its concurrency is throttled and tried again: "The retry interval increases
   * exponentially from 1 second after the first attempt to a maximum of 5 minutes" (AWS docs, same page), until the
   * maximum event age. Tests and demos that want a throttled event to run soon pass a shorter back-off
   * (`--throttle-backoff`, SHOPFLOW_LAMBDA_THROTTLE_BACKOFF), and the service then says so at start.
   */
  asyncThrottleBackoff: { firstMs: 1_000, maxMs: 5 * 60_000 },
  /**
   * Lambda's queue "is eventually consistent": a function may receive the same event more than once even without an
   * error. The share (0..1) of accepted events delivered a second time, as a separate invocation with its own
   * request id: a fault switch (`--duplicate-events`, SHOPFLOW_LAMBDA_DUPLICATE_EVENTS). Off by default.
   */
  duplicateEvents: 0,
  /**
   * "The Init phase is limited to 10 seconds" for on-demand functions: an environment whose INIT (start up to the
   * runtime's first /next) takes longer is stopped (INIT_REPORT ... Phase: init Status: timeout), and Lambda
   * "retries the Init phase at the time of the first function invocation with the configured function timeout".
   */
  maxInitMs: 10_000,
  /** Asynchronous events older than this are dropped (Lambda: 6 hours). */
  maxEventAgeMs: 6 * 60 * 60_000,
  maxSyncPayloadBytes: 6 * 1024 * 1024,
  maxAsyncPayloadBytes: 256 * 1024,
  maxResponseBytes: 6 * 1024 * 1024,
  maxZipBytes: LAMBDA_PACKAGE_QUOTAS.zippedBytes,
  /** Lambda's quota for the unpacked code. */
  maxUnzippedBytes: LAMBDA_PACKAGE_QUOTAS.unzippedBytes,
  /**
   * Lambda documents no cap on a zip's entries, but the local service unpacks them onto the laptop's disk: a bundled
   * ShopFlow package has a few dozen, and 100,000 empty files would fill no quota yet cost the disk 100,000 inodes.
   */
  maxZipEntries: 20_000,
  /**
   * How long a new function stays Pending and an update InProgress before it is Active / Successful. Lambda takes
   * about a second for a zip function outside a VPC; the same second here makes callers that do not wait (with
   * waitUntilFunctionActiveV2 / waitUntilFunctionUpdatedV2) fail locally as they would on AWS. Never 0: a caller
   * that forgets to wait would pass here and fail in the cloud.
   */
  stateTransitionMs: 1000,
  defaultTimeoutSeconds: 3,
  defaultMemoryMb: 128,
  /**
   * Each environment gets the CPU Lambda gives its memory size (a cgroup quota, where the host allows it): one
   * vCPU per 1769 MB, in scheduling periods of 100 ms. Off (false, `--no-cpu-share`, SHOPFLOW_LAMBDA_CPU_SHARE=off):
   * every environment may use the host's whole CPU, and cold starts look faster than on Lambda.
   */
  cpuShare: true,
  cpuShareMbPerVcpu: 1769,
  cpuSharePeriodUs: 100_000,
  /**
   * Each environment's process is held to the function's memory size, without swap (a cgroup, where the host allows
   * it): more, and the kernel's OOM killer ends it, reported as Lambda does (Runtime.OutOfMemory). Off (false,
   * `--no-memory-limit`, SHOPFLOW_LAMBDA_MEMORY_LIMIT=off): an environment may use as much as the host gives it.
   */
  memoryLimit: true,
  /**
   * Each environment's runtime starts in a mount namespace of its own, where its code is read-only (Lambda's
   * /var/task: writes fail with EROFS) and a tmpfs of the function's EphemeralStorage.Size covers /tmp, private to
   * it (where the host allows it: Linux, root, util-linux's unshare). Off (false, `--no-sandbox`,
   * SHOPFLOW_LAMBDA_SANDBOX=off): the code is writable and every environment shares the host's /tmp.
   */
  sandbox: true,
  /** Lambda's EphemeralStorage.Size (the size of /tmp, MB): 512 by default, from 512 to 10240. */
  defaultEphemeralStorageMb: 512,
  minEphemeralStorageMb: 512,
  maxEphemeralStorageMb: 10_240,
} as const;

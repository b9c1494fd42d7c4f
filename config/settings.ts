/**
 * ShopFlow's settings, defined once. This module is pure (no Node APIs, no environment reads) so that
 * workflow code may import it; values that come from the environment are resolved in `config/environment.ts`.
 */

/** The task queue every ShopFlow worker (local or Lambda) polls. */
export const TASK_QUEUE = 'shopflow-orders';

/** Worker Deployment name shared by the local worker and the Lambda worker. */
export const DEPLOYMENT_NAME = 'shopflow';

/** The Lambda function's name wherever none is given: the demo, chaos, the console and `npm run metrics` use it. */
export const LAMBDA_FUNCTION_NAME = 'shopflow-worker';

/**
 * Lambda's quotas on a zip package: 50 MB uploaded directly, 250 MB unpacked ("Unzipped size must be smaller than
 * 262144000 bytes"). The package build refuses a larger package and the local Lambda service a larger upload.
 */
export const LAMBDA_PACKAGE_QUOTAS = { zippedBytes: 50 * 1024 * 1024, unzippedBytes: 262_144_000 } as const;

/**
 * Build id used when SHOPFLOW_BUILD_ID is not set. Bump it when workflow code changes incompatibly: v2 validates
 * orders more strictly (unknown fields, control characters), which would fail v1 orders already in flight on replay.
 */
export const DEFAULT_BUILD_ID = 'v2';

/** The local dev server's ports (the Temporal CLI's own defaults); SHOPFLOW_DEV_SERVER_PORT / _UI_PORT override them. */
export const DEV_SERVER_PORT = 7233;
export const DEV_SERVER_UI_PORT = 8233;

/** The workflow type that processes one order. */
export const ORDER_WORKFLOW_TYPE = 'OrderWorkflow';

/** Workflow ids are derived from order ids so that one order can never run twice at once. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/**
 * Activity timeouts, and why:
 * - heartbeatTimeout 5s: every ShopFlow activity heartbeats about once a second while it works, so a worker that
 *   dies mid-activity (SIGKILL, Lambda frozen at its deadline) is noticed by the server within 5 s and the
 *   activity is retried on whichever worker polls next, instead of waiting for the start-to-close timeout.
 * - startToCloseTimeout: bounds an attempt that keeps heartbeating but never finishes. 15 s covers the simulated
 *   services' worst normal latency several times over; shipping gets 60 s because the `slow` scenario deliberately
 *   spends 20 s there so a presenter has time to kill the worker mid-activity.
 * - retry: first retry after 1 s, doubling up to 10 s, so transient outages recover in seconds. Forward steps give
 *   up after 5 attempts (the order is then compensated); compensations retry until they succeed.
 * The Lambda function timeout must exceed the longest start-to-close plus the worker's 7 s shutdown buffer.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT_MS = 5_000;
export const ACTIVITY_HEARTBEAT_INTERVAL_MS = 1_000;
/**
 * The SDK sends at most one heartbeat per min(0.8 x heartbeatTimeout, maxHeartbeatThrottleInterval): with the 5 s
 * timeout alone, progress reached the server every 4 s at best, and a worker killed 2 s into the 20 s shipment left
 * the retry the first heartbeat's details (it redid 20 s, not 18). The throttle is where the loss happens, so it is
 * fixed there, on every worker (local and Lambda): details reach the server every interval, and a retry repeats at
 * most one interval of work. The heartbeat timeout stays 5 s (it is how fast a dead worker is noticed); a final
 * heartbeat on shutdown would not help a SIGKILL or a frozen Lambda, which is exactly the case that matters.
 */
export const HEARTBEAT_THROTTLE_MS = ACTIVITY_HEARTBEAT_INTERVAL_MS;
export const STEP_START_TO_CLOSE_MS = {
  reserveInventory: 15_000,
  chargeCustomer: 15_000,
  createShipment: 60_000,
  notifyCustomer: 15_000,
} as const;
export const COMPENSATION_START_TO_CLOSE_MS = 15_000;
export const RETRY_INITIAL_INTERVAL_MS = 1_000;
export const RETRY_MAXIMUM_INTERVAL_MS = 10_000;
export const RETRY_BACKOFF_COEFFICIENT = 2;
export const FORWARD_STEP_MAX_ATTEMPTS = 5;

/**
 * The `long-haul` scenario's shipment outlives any one Lambda invocation (15 min at most on AWS, 67 s for the
 * demo's function), so it runs as bounded chunk activities: the re-invocation pattern. Why not one long activity
 * that hands over at the deadline: an activity in the TypeScript SDK gets no reliable signal before the Lambda
 * freezes at its deadline or is SIGKILLed, so a heartbeat at shutdown cannot be relied on, and every cut-off
 * attempt spends one of the step's 5 attempts. A chunk instead ends by completing, which spends no retry budget.
 * The relation that makes every handover a completion: the Lambda worker stops polling LAMBDA_SHUTDOWN_BUFFER_MS
 * before its deadline and then gives in-flight activities LAMBDA_WORKER_SHUTDOWN_GRACE_MS (the lambda-worker
 * default, 5 s) to finish; a chunk shorter than that grace finishes inside it, so the next chunk goes to the
 * next invocation. test/unit/long-haul.test.ts checks it, and that a chunk attempt fits the shortest timeout.
 */
export const LONG_HAUL_CHUNK_MS = 4_000;
export const LAMBDA_WORKER_SHUTDOWN_GRACE_MS = 5_000;
/** A chunk attempt: one chunk of work plus the overhead of a busy machine; far below any function timeout. */
export const LONG_HAUL_CHUNK_START_TO_CLOSE_MS = 15_000;

/** The longest an activity attempt may run; the Lambda timeout guidance is derived from it. */
export const LONGEST_ACTIVITY_START_TO_CLOSE_MS = Math.max(
  COMPENSATION_START_TO_CLOSE_MS,
  LONG_HAUL_CHUNK_START_TO_CLOSE_MS,
  ...Object.values(STEP_START_TO_CLOSE_MS),
);

/**
 * How long the local worker lets in-flight activities finish after Ctrl+C. After that they are cancelled and
 * Temporal retries them on another worker (for example the Lambda).
 */
export const LOCAL_WORKER_SHUTDOWN_GRACE_MS = 10_000;

/**
 * The Lambda worker stops once it has had no task in flight for this long, instead of polling (and being billed)
 * until its deadline. Temporal's worker controller invokes it again when the next task finds no poller.
 * SHOPFLOW_LAMBDA_IDLE_EXIT_MS overrides it; 0 turns idle exit off (the official full-deadline behaviour).
 */
export const LAMBDA_IDLE_EXIT_MS = 5_000;

/**
 * The idle exit's short form: once every workflow has left this worker's cache (completed and evicted), no task
 * can come back on its sticky queue, which the worker controller never invokes for, so the idle exit's tail buys
 * nothing; the worker stops after this grace instead. It applies only after a task, never while a workflow is
 * cached, and not when an activity finished after the last workflow task (its workflow may have been evicted from
 * here and still owe this worker a sticky task). SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS overrides it; 0 turns it off.
 */
export const LAMBDA_EMPTY_CACHE_EXIT_MS = 300;

/**
 * An invocation that has received no task at all gives up after this long instead (counted from the worker's
 * start, after connecting). Work waiting for it is handed out at its first poll: in the bench's failover and
 * bursts the first task came within about half a second of the worker's start. An invocation that finds nothing
 * (another environment took the task it was invoked for, or the controller's validation call at registration)
 * was billed the whole idle exit before; now it is billed this. SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS overrides it
 * (0 = wait the idle exit as after work); it never exceeds the idle exit.
 */
export const LAMBDA_FIRST_TASK_GRACE_MS = 2_000;

/**
 * Temporal's worker controller (scaler `no-sync`) invokes the function for a task that finds no poller, at most
 * once per this cool-off. Its own default is 100 ms: while the first environment is still starting (1-3 s), every
 * task of a burst finds no poller and starts another environment, most of which then find nothing to do. With a
 * cool-off longer than a cold start, the environments already starting take those tasks. Measured on the local
 * stack (`npm run bench -- --only burst`, 2026-11-30): 10 orders 80% -> 10% of GB-s wasted, 50 orders 46% -> 4%,
 * and both drained sooner. The cost: a sudden large burst scales out by at most one environment per cool-off
 * from new tasks (the controller's backlog poll adds more). `register:lambda --scale-up-cooloff-ms` overrides it.
 */
export const LAMBDA_SCALE_UP_COOLOFF_MS = 3_000;

/** Lambda timeout guidance from Temporal's Go demo: the longest activity plus the shutdown buffer, at least 60 s. */
export const LAMBDA_SHUTDOWN_BUFFER_MS = 7_000;
export const LAMBDA_MINIMUM_TIMEOUT_S = 60;
export const LAMBDA_RECOMMENDED_TIMEOUT_S = Math.max(
  LAMBDA_MINIMUM_TIMEOUT_S,
  Math.ceil((LONGEST_ACTIVITY_START_TO_CLOSE_MS + LAMBDA_SHUTDOWN_BUFFER_MS) / 1000),
);

/**
 * The memory size `deploy:lambda --create` gives a new function (MB), and why: the cheapest size within the cold
 * start and failover targets in `npm run bench -- --only memory`, which runs each size with the CPU share Lambda
 * gives it (1 vCPU per 1769 MB). Re-run that section after a change that moves start-up, and update both.
 */
export const LAMBDA_DEFAULT_MEMORY_MB = 1769;
export const LAMBDA_DEFAULT_MEMORY_REASON = [
  'npm run bench -- --only memory, 2026-11-30, 2 reps per size, local environments capped to',
  "Lambda's CPU share, the package with its compile cache on the runtime's Node 22: only 1769 MB",
  'met the 1.0 s cold start target (731 ms; 1024 MB 1260 ms, 768 MB 2029 ms, 512 MB 3038 ms);',
  'failover met at each. Cost: $0.22 per 1000 orders (1024 MB $0.13, 768 MB $0.10). Pass --memory',
  '1024 to pay less for a slower cold start; re-run the section after start-up changes (docs/bench.md)',
] as const;

/**
 * How often the server re-checks whether a version that stopped being current has drained (its drainage status).
 * The dev server is started with 2 s (machinery/devstack/dev-server.ts) so the demo's table moves; Temporal Cloud and a
 * default server check every 180 s. Retiring a version waits for two reads at least this far apart.
 */
export const VERSION_DRAINAGE_REFRESH_S = { devServer: 2, default: 180 } as const;

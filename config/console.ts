/** The presenter console's settings: port, refresh rates, bounds on control input. Defined once, here. */

import { LAMBDA_FUNCTION_NAME } from './settings';

/** `npm run console` listens here unless `--port N` says otherwise (127.0.0.1 only). */
export const CONSOLE_DEFAULT_PORT = 8390;

/** The function the console charts when `--function` is not given (the name the demo and deploy scripts use). */
export const CONSOLE_DEFAULT_FUNCTION = LAMBDA_FUNCTION_NAME;

/** Chart buckets: 10 s from the local Lambda service; CloudWatch's standard resolution in the cloud is 1 min. */
export const CONSOLE_LOCAL_BUCKET_S = 10;
export const CONSOLE_CLOUD_BUCKET_S = 60;
/** How often metrics are read: often locally (free), once a bucket from CloudWatch (GetMetricData is billed). */
export const CONSOLE_LOCAL_METRICS_REFRESH_MS = 3_000;
export const CONSOLE_CLOUD_METRICS_REFRESH_MS = 60_000;
/** The chart shows at most this much history. */
export const CONSOLE_CHART_WINDOW_MINUTES = 15;

/** New orders (started by anyone) are found through visibility this often; no worker is involved. */
export const CONSOLE_ORDER_DISCOVERY_MS = 2_000;
/** While an activity is open, the attempt in progress (DescribeWorkflowExecution) is read this often per order. */
export const CONSOLE_DESCRIBE_INTERVAL_MS = 1_000;
/** With many open orders those reads are spaced out to stay near this many per second in all (200 orders: 4 s). */
export const CONSOLE_DESCRIBE_BUDGET_PER_S = 50;
/** The timeline (local mode: the local Lambda service's invocations) is refreshed and pushed this often. */
export const CONSOLE_TIMELINE_REFRESH_MS = 1_000;
/** Cloud mode: the function's REPORT log lines are read this often (FilterLogEvents is billed by data scanned). */
export const CONSOLE_CLOUD_LOGS_REFRESH_MS = 15_000;
/** Local Lambda execution environments are read this often. */
export const CONSOLE_ENVIRONMENTS_REFRESH_MS = 500;
/** The board keeps this many orders, newest first; the event log this many lines. */
export const CONSOLE_MAX_ORDERS = 300;
export const CONSOLE_MAX_LOG_LINES = 500;
/** Many changes in a burst are sent to the page together, at most this often. */
export const CONSOLE_PUSH_INTERVAL_MS = 200;

/** "Submit N orders": bounded, so a typo cannot start a million workflows. */
export const CONSOLE_MIN_ORDERS_PER_SUBMIT = 1;
export const CONSOLE_MAX_ORDERS_PER_SUBMIT = 200;

/** On start, the board also shows orders started this long before the console (found through visibility). */
export const CONSOLE_ORDER_LOOKBACK_MINUTES = 10;

/** Local mode: the version table (build id, status, open orders, Lambda version) is read from the server this often. */
export const CONSOLE_VERSIONS_REFRESH_MS = 5_000;

/** The page says what it needs (the console process, reachable at its address) when no event came this long. */
export const CONSOLE_FIRST_EVENT_TIMEOUT_MS = 4_000;

/** The bench's targets that more than one section judges against, defined once (issue 15 and its predecessors). */

/** Cold start: Invoke with no warm environment -> the first activity of a waiting order completed. */
export const COLD_START_TARGET_MS = 1_000;

/** Failover: SIGKILL of the local worker -> the order done on the Lambda, beyond the work that was left. */
export const FAILOVER_BEYOND_WORK_TARGET_MS = 10_000;

/** Cold start of the package as deployed, at deploy:lambda's 1769 MB (issue 23): the cold-start section's target. */
export const DEPLOYED_COLD_START_TARGET_MS = 600;

/** Idle cost: ShopFlow's billed GB-s for the idle-cost burst, as a share of the official lifecycle's (issue 23). */
export const IDLE_COST_TARGET_SHARE = 0.05;

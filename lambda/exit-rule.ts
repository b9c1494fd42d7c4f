/**
 * When an idle Lambda worker may stop, as a pure function of what the idle monitor saw; the monitor samples the
 * worker and asks this at every check. Nothing in flight is a precondition: the monitor does not ask otherwise.
 */

export type IdleStopReason = 'idle' | 'no-task' | 'cache-empty';

export interface ExitRules {
  /** After a task: stop once nothing has been in flight for this long. */
  idleMs: number;
  /** Before any task: stop after this long instead (capped at `idleMs`; 0 = `idleMs`). */
  firstTaskGraceMs?: number;
  /** After a task, with the workflow cache empty and no task owed: stop after this long (capped at `idleMs`; 0 = off). */
  emptyCacheMs?: number;
  /** No exit of any kind before this time (epoch ms): see ShopFlowLambdaConfig.scaleUpCooloffMs. */
  exitNotBefore?: number;
}

export interface IdleFacts {
  now: number;
  /** The last time a task of either kind was in flight (or the worker's start, before any). */
  lastBusyAt: number;
  taskSeen: boolean;
  cachedWorkflows: number;
  /** The last time the cache was seen holding a workflow (or the worker's start). */
  cacheLastOccupiedAt: number;
  /** A workflow may still send this worker a task on its sticky queue although the cache is empty. */
  taskOwed: boolean;
}

export function exitReason(facts: IdleFacts, rules: ExitRules): IdleStopReason | undefined {
  if (facts.now < (rules.exitNotBefore ?? 0)) return undefined;
  const idleForMs = facts.now - facts.lastBusyAt;
  if (!facts.taskSeen) {
    const graceMs = rules.firstTaskGraceMs ? Math.min(rules.firstTaskGraceMs, rules.idleMs) : rules.idleMs;
    return idleForMs >= graceMs ? 'no-task' : undefined;
  }
  if (idleForMs >= rules.idleMs) return 'idle';
  if (!rules.emptyCacheMs || facts.cachedWorkflows > 0 || facts.taskOwed) return undefined;
  const emptyForMs = facts.now - Math.max(facts.lastBusyAt, facts.cacheLastOccupiedAt);
  return emptyForMs >= Math.min(rules.emptyCacheMs, rules.idleMs) ? 'cache-empty' : undefined;
}

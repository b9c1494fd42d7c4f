/**
 * When to break what: the local worker SIGKILLed (and restarted after a while), a Lambda environment crashed while
 * the worker is down (that is when the Lambda has work), and the dev server restarted once, with the worker left
 * alone around the restart so its reconnection can be checked. On the file journal, also a line torn by a writer
 * that died mid-write and a lock holder frozen past the old stale time (ledger-faults.ts). Pure and seeded:
 * `--seed` replays the plan.
 */

import type { LedgerChoice } from '../devstack/run-ledger';
import { between, type Random } from './random';

export type ChaosEvent =
  | { kind: 'kill-worker'; atMs: number; downMs: number }
  | { kind: 'crash-lambda'; atMs: number }
  | { kind: 'restart-server'; atMs: number }
  | { kind: 'tear-journal-line'; atMs: number }
  | { kind: 'stall-lock-holder'; atMs: number };

/** How many of each journal fault a file-ledger run injects, spread over the window. */
export const TORN_LINES_PER_RUN = 3;
export const LOCK_STALLS_PER_RUN = 2;

/** The worker is up before the restart, and left alone this long after it, to see it reconnect and work. */
export const QUIET_BEFORE_RESTART_MS = 2_000;
export const QUIET_AFTER_RESTART_MS = 20_000;
/** Time a restarted worker needs before it polls again (bundling the workflow code, connecting). */
const WORKER_START_ALLOWANCE_MS = 6_000;

export function planChaos(random: Random, windowMs: number, ledger: LedgerChoice = 'file'): ChaosEvent[] {
  const restartAt = Math.round(windowMs * (0.4 + 0.1 * random()));
  const events: ChaosEvent[] = [{ kind: 'restart-server', atMs: restartAt }];
  const quietFrom = restartAt - QUIET_BEFORE_RESTART_MS;
  const quietUntil = restartAt + QUIET_AFTER_RESTART_MS;
  let at = between(random, 3_000, 6_000);
  while (at < windowMs) {
    const downMs = between(random, 3_000, 7_000);
    const backBy = at + downMs + WORKER_START_ALLOWANCE_MS;
    if (backBy > quietFrom && at < quietUntil) {
      at = quietUntil + between(random, 0, 2_000);
      continue;
    }
    events.push({ kind: 'kill-worker', atMs: at, downMs });
    // While the worker is down the worker controller invokes the Lambda, so an environment is likely busy.
    events.push({ kind: 'crash-lambda', atMs: at + between(random, 3_000, 3_000 + downMs) });
    at = backBy + between(random, 4_000, 10_000);
  }
  if (ledger === 'file') {
    // Drawn after the rest, so a seed's kills and crashes stay where they were before these faults existed.
    const spread = (i: number, n: number) => Math.round(((i + random()) * windowMs) / n);
    for (let i = 0; i < TORN_LINES_PER_RUN; i++)
      events.push({ kind: 'tear-journal-line', atMs: spread(i, TORN_LINES_PER_RUN) });
    for (let i = 0; i < LOCK_STALLS_PER_RUN; i++)
      events.push({ kind: 'stall-lock-holder', atMs: spread(i, LOCK_STALLS_PER_RUN) });
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

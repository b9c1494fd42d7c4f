/**
 * One chaos run, in four phases: set up the stack and a local worker (chaos-setup.ts), submit the planned orders over
 * the window (chaos-submit.ts) while the planned strikes break things (chaos-strike.ts), then probe the Lambda alone
 * and check the invariants (chaos-verify.ts).
 */

import path from 'node:path';
import { DATA_DIR } from '../plumbing/project-paths';
import type { Stage } from '../devstack/stage';
import type { ChaosArgs } from './chaos-args';
import { setUpChaos } from './chaos-setup';
import { startStrikes } from './chaos-strike';
import { submitAndSettle } from './chaos-submit';
import { verifyChaos } from './chaos-verify';

export const CHAOS_DIR = path.join(DATA_DIR, 'chaos');
/** Simulated services 5 times faster than realistic, so a run is quick (the `slow` shipment: see order-plan.ts). */
const DEFAULT_LATENCY_SCALE = '0.2';

export async function runChaos(args: ChaosArgs, stage: Stage): Promise<number> {
  const latencyScale = process.env.SHOPFLOW_LATENCY_SCALE?.trim() || DEFAULT_LATENCY_SCALE;
  const run = await setUpChaos(args, stage, { dir: CHAOS_DIR, latencyScale });
  const strikes = startStrikes(run);
  await submitAndSettle(run);
  await strikes.done;
  return verifyChaos(run, CHAOS_DIR);
}

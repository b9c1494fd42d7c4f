/**
 * `npm run chaos`: orders of every scenario while the local worker, Lambda environments and the Temporal dev
 * server are killed and restarted; then the invariants are checked (see run-chaos.ts and invariants.ts).
 * Exit code 0: no violation; 1: a violation or a failure of the run itself; 2: bad flags; 130: Ctrl+C.
 */

import { runEntryPoint } from '../../client/command-line';
import { runOnStage } from '../devstack/stage';
import { CHAOS_USAGE, parseChaosArgs } from './chaos-args';
import { runChaos } from './run-chaos';

async function main(): Promise<void> {
  const args = parseChaosArgs(process.argv.slice(2));
  if (args.help) return console.log(CHAOS_USAGE);
  await runOnStage({ name: 'chaos', what: 'the chaos run', stackTraces: true }, (stage) => runChaos(args, stage));
}

runEntryPoint('chaos', CHAOS_USAGE, main);

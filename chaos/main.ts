/**
 * `npm run chaos`: orders of every scenario while the local worker, Lambda environments and the Temporal dev
 * server are killed and restarted; then the invariants are checked (see run-chaos.ts and invariants.ts).
 * Exit code 0: no violation; 1: a violation or a failure of the run itself; 2: bad flags; 130: Ctrl+C.
 */

import { Stage } from '../demo/stage';
import { CHAOS_USAGE, parseChaosArgs } from './chaos-args';
import { runChaos } from './run-chaos';

async function main(): Promise<void> {
  // The project runs on Node 20; the AWS SDK's notice about future Node 22 releases is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseChaosArgs(process.argv.slice(2));
  if (args.help) return console.log(CHAOS_USAGE);
  const stage = new Stage();
  const interrupt = () => {
    console.log('\nStopping the chaos run and everything it started...');
    void stage.stopAll().then(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('SIGHUP', interrupt); // the terminal went away: still stop what we started
  let code = 1;
  try {
    code = await runChaos(args, stage);
  } catch (err) {
    console.error(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await stage.stopAll();
    console.log('Stopped everything the chaos run started.');
  }
  process.exit(code);
}

void main();

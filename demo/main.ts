/**
 * `npm run demo`: the ShopFlow serverless demo, narrated, on one machine with no cloud account (the acts are in
 * run-demo.ts). Everything it starts is stopped at the end, also on Ctrl+C.
 */

import { runEntryPoint } from '../client/command-line';
import { DEMO_USAGE, parseDemoArgs } from './demo-args';
import { runDemo } from './run-demo';
import { runOnStage } from '../machinery/devstack/stage';

async function main(): Promise<void> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.help) return console.log(DEMO_USAGE);
  await runOnStage({ name: 'demo', what: 'the demo' }, (stage) => runDemo(args, stage));
}

runEntryPoint('demo', DEMO_USAGE, main);

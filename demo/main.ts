/**
 * `npm run demo`: the ShopFlow serverless demo, narrated, on one machine with no cloud account (the acts are in
 * run-demo.ts). Everything it starts is stopped at the end, also on Ctrl+C.
 */

import { DEMO_USAGE, parseDemoArgs, type DemoArgs } from './demo-args';
import { runDemo } from './run-demo';
import { runOnStage } from '../devstack/stage';

async function main(): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`demo: ${(err as Error).message}\n\n${DEMO_USAGE}`);
    process.exit(2);
  }
  if (args.help) return console.log(DEMO_USAGE);
  await runOnStage({ name: 'demo', what: 'the demo' }, (stage) => runDemo(args, stage));
}

void main();

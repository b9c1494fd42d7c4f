/** `npm run demo` options. */

import { parseArgs } from 'node:util';
import { SCENARIOS, isScenario, type Scenario } from '../domain/scenarios';

export interface DemoArgs {
  interactive: boolean;
  orders: number;
  scenario: Scenario;
  kill: 'SIGKILL' | 'SIGINT';
  /** Act 5: ship the next build live while orders are in flight (demo/redeploy-act.ts). */
  redeploy: boolean;
  help: boolean;
}

export const DEMO_USAGE = `Usage: npm run demo -- [--interactive] [--orders N] [--scenario NAME] [--kill sigkill|ctrl-c] [--redeploy]

Runs the whole ShopFlow serverless demo on this machine: a Temporal dev server, the local Lambda service running
dist/function.zip, a local worker; orders in flight; the local worker killed; the Lambda, invoked by Temporal,
finishing the orders; the invocations falling to zero. Everything it starts is stopped at the end.

  --interactive      pause before each act (for presenting live)
  --orders N         orders to submit (1-20, default 1)
  --scenario NAME    ${SCENARIOS.join(', ')} (default slow: the shipment takes 20 s)
  --kill HOW         sigkill (default: the worker dies on the spot) or ctrl-c (graceful: in-flight work is handed back)
  --redeploy         act 5: ship the next build id with npm run redeploy while orders are in flight on the Lambda`;

export class DemoUsageError extends Error {}

export function parseDemoArgs(argv: string[]): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        interactive: { type: 'boolean' },
        orders: { type: 'string' },
        scenario: { type: 'string' },
        kill: { type: 'string' },
        redeploy: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new DemoUsageError((err as Error).message);
  }
  const orders = Number(values.orders ?? 1);
  if (!Number.isInteger(orders) || orders < 1 || orders > 20) throw new DemoUsageError(`--orders must be a whole number from 1 to 20 (got "${values.orders}")`);
  const scenario = values.scenario ?? 'slow';
  if (!isScenario(scenario)) throw new DemoUsageError(`--scenario must be one of ${SCENARIOS.join(', ')} (got "${scenario}")`);
  const kill = (values.kill ?? 'sigkill').toLowerCase();
  if (kill !== 'sigkill' && kill !== 'ctrl-c') throw new DemoUsageError(`--kill must be sigkill or ctrl-c (got "${values.kill}")`);
  return { interactive: Boolean(values.interactive), orders, scenario, kill: kill === 'sigkill' ? 'SIGKILL' : 'SIGINT', redeploy: Boolean(values.redeploy), help: Boolean(values.help) };
}

/** `npm run demo` options. */

import { SCENARIOS, isScenario, type Scenario } from '../domain/scenarios';
import { LEDGER_CHOICES, isLedgerChoice, type LedgerChoice } from '../machinery/devstack/run-ledger';
import { UsageError, parseCommandLine } from '../client/command-line';

export interface DemoArgs {
  interactive: boolean;
  orders: number;
  scenario: Scenario;
  kill: 'SIGKILL' | 'SIGINT';
  ledger: LedgerChoice;
  /** Act 5: ship the next build live while orders are in flight (demo/redeploy-act.ts). */
  redeploy: boolean;
  help: boolean;
}

export const DEMO_USAGE = `Usage: npm run demo -- [--interactive] [--orders N] [--scenario NAME] [--kill sigkill|ctrl-c]
                           [--ledger file|dynamodb] [--redeploy]

Runs the whole ShopFlow serverless demo on this machine: a Temporal dev server, the local Lambda service running
dist/function.zip, a local worker; orders in flight; the local worker killed; the Lambda, invoked by Temporal,
finishing the orders; the invocations falling to zero. Everything it starts is stopped at the end.

  --interactive      pause before each act (for presenting live)
  --orders N         orders to submit (1-20, default 1)
  --scenario NAME    ${SCENARIOS.join(', ')} (default slow: the shipment takes 20 s; long-haul: the shipment in chunks, past any one Lambda invocation)
  --kill HOW         sigkill (default: the worker dies on the spot) or ctrl-c (graceful: in-flight work is handed back)
  --ledger KIND      file (default: one journal file the local worker and the Lambda share) or dynamodb (a table on
                     a local DynamoDB-compatible server, moto, as on AWS where the Lambda has no shared disk)
  --redeploy         act 5: ship the next build id with npm run redeploy while orders are in flight on the Lambda`;

export function parseDemoArgs(argv: string[]): DemoArgs {
  const values = parseCommandLine(
    {
      interactive: { type: 'boolean' },
      orders: { type: 'string' },
      scenario: { type: 'string' },
      kill: { type: 'string' },
      ledger: { type: 'string' },
      redeploy: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  );
  const orders = Number(values.orders ?? 1);
  if (!Number.isInteger(orders) || orders < 1 || orders > 20)
    throw new UsageError(`--orders must be a whole number from 1 to 20 (got "${values.orders}")`);
  const scenario = values.scenario ?? 'slow';
  if (!isScenario(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')} (got "${scenario}")`);
  const kill = (values.kill ?? 'sigkill').toLowerCase();
  if (kill !== 'sigkill' && kill !== 'ctrl-c')
    throw new UsageError(`--kill must be sigkill or ctrl-c (got "${values.kill}")`);
  const ledger = values.ledger ?? 'file';
  if (!isLedgerChoice(ledger))
    throw new UsageError(`--ledger must be one of ${LEDGER_CHOICES.join(', ')} (got "${ledger}")`);
  return {
    interactive: Boolean(values.interactive),
    orders,
    scenario,
    kill: kill === 'sigkill' ? 'SIGKILL' : 'SIGINT',
    ledger,
    redeploy: Boolean(values.redeploy),
    help: Boolean(values.help),
  };
}

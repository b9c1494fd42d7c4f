/** The starter's command line: parsed strictly, so a typo is a usage message (exit 2), never a surprise order. */

import { UsageError, parseCommandLine } from '../client/command-line';
import { SCENARIOS, SCENARIO_DESCRIPTIONS, isScenario, type Scenario } from '../domain/scenarios';
import { ORDER_ID_RULE, isValidOrderId } from '../domain/validate-order';

export const MAX_COUNT = 1_000;

export interface StarterArgs {
  count: number;
  scenario: Scenario;
  wait: boolean;
  orderId?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run starter -- [options]

Submits ShopFlow orders and follows them step by step until they finish.

Options:
  --count N          how many orders to submit (1-${MAX_COUNT}, default 1)
  --scenario NAME    what the simulated services do (default happy):
${SCENARIOS.map((s) => `                       ${s.padEnd(16)} ${SCENARIO_DESCRIPTIONS[s]}`).join('\n')}
  --order-id ID      use this order id (only with --count 1); default: a new one
  --no-wait          submit and exit without following the orders
  -h, --help         show this help`;

export function parseStarterArgs(argv: string[]): StarterArgs {
  const values = parseCommandLine(
    {
      count: { type: 'string' },
      scenario: { type: 'string' },
      'order-id': { type: 'string' },
      'no-wait': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  );
  // Digits only: Number() would also take "1e2", "0x10" and " 3", which nobody means as a count.
  const count = values.count === undefined ? 1 : /^\d+$/.test(values.count) ? Number(values.count) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_COUNT} (got "${values.count}")`);
  }
  const scenario = values.scenario ?? 'happy';
  if (!isScenario(scenario)) {
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')} (got "${scenario}")`);
  }
  if (values['order-id'] !== undefined && !isValidOrderId(values['order-id'])) {
    throw new UsageError(`--order-id must be ${ORDER_ID_RULE} (got "${values['order-id']}")`);
  }
  if (values['order-id'] !== undefined && count !== 1) {
    throw new UsageError('--order-id names one order, so it cannot be combined with --count greater than 1');
  }
  return { count, scenario, wait: !values['no-wait'], orderId: values['order-id'], help: Boolean(values.help) };
}

/**
 * `npm run cost -- --orders-per-day N [...]`: what a workload costs a month on the serverless worker and on an
 * always-on fleet, from the measured per-order figures (config/measured-traffic.json) and sourced prices.
 */

import { runEntryPoint, parseCommandLine, UsageError } from '../devstack/command-line';
import { DEFAULT_WORKLOAD } from '../config/workload';
import { formatCostAnswer } from './cost-report';
import { loadMeasuredTraffic } from './load-measured-traffic';
import { WORKLOAD_FIELDS, instanceNames, parseWorkload, type WorkloadText } from './parse-workload';

export const COST_USAGE = `Usage: npm run cost -- [options]

How much are you spending on idle worker capacity? A workload priced both ways: the serverless worker billed per
order (GB-s and invocations measured by npm run bench -- --only arrival-rates), against an always-on fleet sized
for the peak and billed 730 h a month. Temporal's own charges are the same either way and left out.

Options (defaults in config/workload.ts):
  --orders-per-day N         orders a day (default ${DEFAULT_WORKLOAD.ordersPerDay})
  --busy-hours H             hours a day the orders arrive in (default ${DEFAULT_WORKLOAD.busyHoursPerDay})
  --peak-factor P            the peak as a multiple of the busy hours' average (default ${DEFAULT_WORKLOAD.peakFactor})
  --fleet Nx<instance>       the always-on fleet's minimum and instance (default ${DEFAULT_WORKLOAD.fleetMinimum}x${DEFAULT_WORKLOAD.fleetInstance}):
                             ${instanceNames()}
  --fleet-usd-per-hour X     your own price per instance-hour instead of the table's
  --memory MB                the function's memory (default ${DEFAULT_WORKLOAD.memoryMb})
  --arch A                   x86_64 or arm64 (default ${DEFAULT_WORKLOAD.architecture})
  -h, --help                 show this help`;

async function main(): Promise<void> {
  const values = parseCommandLine(
    {
      ...Object.fromEntries(WORKLOAD_FIELDS.map((field) => [field, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
    process.argv.slice(2),
  ) as WorkloadText & { help?: boolean };
  if (values.help) return console.log(COST_USAGE);
  const parsed = parseWorkload(values);
  if (!parsed.ok) throw new UsageError(parsed.problems.join('\n'));
  for (const line of formatCostAnswer(parsed.workload, parsed.fleet, loadMeasuredTraffic())) console.log(line);
}

runEntryPoint('cost', COST_USAGE, main);

/** `npm run cost`'s command line, parsed strictly: a typo or a value out of range is a usage message (exit 2). */

import { DEFAULT_WORKLOAD, type Workload } from '../config/workload';
import { UsageError, parseCommandLine } from '../client/command-line';
import type { FleetPrice } from './cost-model';
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

export type CostArgs = { help: true } | { help: false; workload: Workload; fleet: FleetPrice };

export function parseCostArgs(argv: string[]): CostArgs {
  const values = parseCommandLine(
    {
      ...Object.fromEntries(WORKLOAD_FIELDS.map((field) => [field, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
    argv,
  ) as WorkloadText & { help?: boolean };
  if (values.help) return { help: true };
  const parsed = parseWorkload(values);
  if (!parsed.ok) throw new UsageError(parsed.problems.join('\n'));
  return { help: false, workload: parsed.workload, fleet: parsed.fleet };
}

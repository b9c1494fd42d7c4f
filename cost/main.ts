/**
 * `npm run cost -- --orders-per-day N [...]`: what a workload costs a month on the serverless worker and on an
 * always-on fleet, from the measured per-order figures (config/measured-traffic.json) and sourced prices.
 */

import { runEntryPoint } from '../client/command-line';
import { COST_USAGE, parseCostArgs } from './cost-args';
import { formatCostAnswer } from './cost-report';
import { loadMeasuredTraffic } from './load-measured-traffic';

async function main(): Promise<void> {
  const args = parseCostArgs(process.argv.slice(2));
  if (args.help) return console.log(COST_USAGE);
  for (const line of formatCostAnswer(args.workload, args.fleet, loadMeasuredTraffic())) console.log(line);
}

runEntryPoint('cost', COST_USAGE, main);

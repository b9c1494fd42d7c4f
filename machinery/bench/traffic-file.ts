/**
 * config/measured-traffic.json: the arrival-rates section's figures, for the cost model to read. Written only when
 * asked (--save-traffic), so an ordinary bench run leaves the tree as it was.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import { MEASURED_TRAFFIC_FILE } from '../../cost/load-measured-traffic';
import type { MeasuredTraffic } from '../../cost/measured-traffic';
import type { ArrivalRatesResult } from './arrival-rates';

export { MEASURED_TRAFFIC_FILE };

function shortCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function measuredTraffic(result: ArrivalRatesResult, command: string, now = new Date()): MeasuredTraffic {
  const cpus = os.cpus();
  return {
    date: now.toISOString().slice(0, 10),
    commit: shortCommit(),
    machine: `${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
    command,
    functions: result.functions.map(({ memoryMb, architecture, rates }) => ({ memoryMb, architecture, rates })),
    alwaysOnWorker: {
      ordersPerSecond: result.alwaysOnWorker.ordersPerSecond,
      latencyP50Ms: result.alwaysOnWorker.latencyP50Ms,
    },
  };
}

export function saveMeasuredTraffic(traffic: MeasuredTraffic, file = MEASURED_TRAFFIC_FILE): void {
  fs.writeFileSync(file, `${JSON.stringify(traffic, null, 2)}\n`);
}

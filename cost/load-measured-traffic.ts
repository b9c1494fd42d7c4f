/** Reads config/measured-traffic.json (Node only: the page gets the same file bundled by esbuild). */

import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../machinery/plumbing/project-paths';
import type { MeasuredTraffic } from './measured-traffic';

export const MEASURED_TRAFFIC_FILE = path.join(PROJECT_ROOT, 'config', 'measured-traffic.json');

export function loadMeasuredTraffic(file = MEASURED_TRAFFIC_FILE): MeasuredTraffic {
  if (!fs.existsSync(file))
    throw new Error(
      `${path.relative(PROJECT_ROOT, file)} is missing: measure it with npm run bench -- --only arrival-rates --save-traffic`,
    );
  return JSON.parse(fs.readFileSync(file, 'utf8')) as MeasuredTraffic;
}

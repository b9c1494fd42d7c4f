/**
 * A workload from text, as `npm run cost` flags and the console's URL give it: every field checked against its
 * range (config/workload.ts), every problem named with the fix, and nothing half-taken: either the whole workload
 * is good or none of it is used. Pure, shared by the CLI and the page.
 */

import { ALWAYS_ON_INSTANCES, LAMBDA_PRICES } from '../config/prices';
import { DEFAULT_WORKLOAD, WORKLOAD_BOUNDS, type Workload } from '../config/workload';
import type { FleetPrice } from './cost-model';

/** The names a flag (`--orders-per-day`) and a URL parameter (`?orders-per-day=`) use. */
export const WORKLOAD_FIELDS = [
  'orders-per-day',
  'busy-hours',
  'peak-factor',
  'fleet',
  'fleet-usd-per-hour',
  'memory',
  'arch',
] as const;
export type WorkloadField = (typeof WORKLOAD_FIELDS)[number];
export type WorkloadText = Partial<Record<WorkloadField, string>>;

export type ParsedWorkload = { ok: true; workload: Workload; fleet: FleetPrice } | { ok: false; problems: string[] };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function numberField(
  problems: string[],
  label: string,
  text: string | undefined,
  bounds: { min: number; max: number; integer: boolean },
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const kind = bounds.integer ? 'a whole number' : 'a number';
  const range = `give ${kind} from ${bounds.min} to ${bounds.max}`;
  const value = DECIMAL.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isFinite(value)) problems.push(`${label} "${text}" is not a number: ${range}`);
  else if (bounds.integer && !Number.isInteger(value))
    problems.push(`${label} ${value} is not a whole number: ${range}`);
  else if (value < bounds.min || value > bounds.max) problems.push(`${label} ${value} is out of range: ${range}`);
  else return value;
  return fallback;
}

export function instanceNames(): string {
  return ALWAYS_ON_INSTANCES.map((i) => i.name).join(', ');
}

export function parseWorkload(text: WorkloadText): ParsedWorkload {
  const problems: string[] = [];
  const b = WORKLOAD_BOUNDS;
  const d = DEFAULT_WORKLOAD;
  const ordersPerDay = numberField(problems, 'orders per day', text['orders-per-day'], b.ordersPerDay, d.ordersPerDay);
  const busyHoursPerDay = numberField(problems, 'busy hours', text['busy-hours'], b.busyHoursPerDay, d.busyHoursPerDay);
  const peakFactor = numberField(problems, 'peak factor', text['peak-factor'], b.peakFactor, d.peakFactor);
  const memoryMb = numberField(problems, 'memory (MB)', text.memory, b.memoryMb, d.memoryMb);

  let fleetMinimum = d.fleetMinimum;
  let fleetInstance = d.fleetInstance;
  const fleetText = text.fleet?.trim();
  if (fleetText !== undefined) {
    const match = /^(?:(\S+?)\s*x\s*)?([a-z][a-z0-9.-]*)$/i.exec(fleetText);
    if (!match) problems.push(`fleet "${fleetText}" is not <count>x<instance>: for example 2xt3.small`);
    else {
      if (match[1] !== undefined)
        fleetMinimum = numberField(problems, 'fleet count', match[1], b.fleetMinimum, d.fleetMinimum);
      fleetInstance = match[2];
    }
  }
  const ownPrice =
    text['fleet-usd-per-hour'] === undefined
      ? undefined
      : numberField(problems, 'fleet price ($/h)', text['fleet-usd-per-hour'], b.fleetUsdPerHour, 0);
  const instance = ALWAYS_ON_INSTANCES.find((i) => i.name === fleetInstance);
  if (!instance && ownPrice === undefined && !problems.some((p) => p.startsWith('fleet "')))
    problems.push(
      `fleet instance "${fleetInstance}" is unknown: choose one of ${instanceNames()}, or give a price per instance-hour (fleet-usd-per-hour)`,
    );

  // The architectures Lambda has a price for (config/prices.ts); the page cannot load the Node-side list.
  const architectures = LAMBDA_PRICES.map((p) => p.architecture as string);
  const arch = text.arch?.trim() ?? d.architecture;
  if (!architectures.includes(arch)) problems.push(`architecture "${arch}" is not one of ${architectures.join(', ')}`);

  if (problems.length) return { ok: false, problems };
  const fleet: FleetPrice =
    ownPrice !== undefined
      ? { label: `your instance at $${ownPrice}/h`, usdPerHour: ownPrice }
      : { label: instance!.label, usdPerHour: instance!.usdPerHour };
  return {
    ok: true,
    workload: {
      ordersPerDay,
      busyHoursPerDay,
      peakFactor,
      fleetMinimum,
      fleetInstance,
      ...(ownPrice !== undefined && { fleetUsdPerHour: ownPrice }),
      memoryMb,
      architecture: arch as Workload['architecture'],
    },
    fleet,
  };
}

/** The workload as text again (the console writes it into the URL; parsing it gives the same workload back). */
export function workloadText(workload: Workload): WorkloadText {
  return {
    'orders-per-day': String(workload.ordersPerDay),
    'busy-hours': String(workload.busyHoursPerDay),
    'peak-factor': String(workload.peakFactor),
    fleet: `${workload.fleetMinimum}x${workload.fleetInstance}`,
    ...(workload.fleetUsdPerHour !== undefined && { 'fleet-usd-per-hour': String(workload.fleetUsdPerHour) }),
    memory: String(workload.memoryMb),
    arch: workload.architecture,
  };
}

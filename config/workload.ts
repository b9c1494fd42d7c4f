/**
 * The workload model's inputs: the default workload the demo's summary and the console start from, and the range
 * of each input (bad input is refused naming the field and its range). Defined once, here.
 */

import type { LambdaArchitecture } from './lambda-architecture';

export interface Workload {
  ordersPerDay: number;
  /** Hours a day the orders arrive in (evenly, at the busy rate). */
  busyHoursPerDay: number;
  /** The peak rate as a multiple of the busy hours' average: what an always-on fleet must be sized for. */
  peakFactor: number;
  /** The always-on fleet: at least this many instances, for availability. */
  fleetMinimum: number;
  /** An instance from config/prices.ts ALWAYS_ON_INSTANCES, or a price of your own per instance-hour. */
  fleetInstance: string;
  fleetUsdPerHour?: number;
  memoryMb: number;
  architecture: LambdaArchitecture;
}

export const DEFAULT_WORKLOAD: Workload = {
  ordersPerDay: 5_000,
  busyHoursPerDay: 12,
  peakFactor: 3,
  fleetMinimum: 2,
  fleetInstance: 't3.small',
  memoryMb: 1769,
  architecture: 'arm64',
};

export const WORKLOAD_BOUNDS = {
  ordersPerDay: { min: 1, max: 1_000_000_000, integer: false },
  busyHoursPerDay: { min: 1, max: 24, integer: false },
  peakFactor: { min: 1, max: 100, integer: false },
  fleetMinimum: { min: 1, max: 1_000, integer: true },
  fleetUsdPerHour: { min: 0.0001, max: 1_000, integer: false },
  memoryMb: { min: 128, max: 10_240, integer: true },
} as const;

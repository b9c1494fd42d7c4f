/**
 * Prices the console's cost panel multiplies by, in one place with their source and date. The panel computes the
 * cost from measured requests and GB-seconds; nothing here is a result. Free tier ignored (it is per account).
 */

import type { LambdaArchitecture } from './lambda-architecture';

export interface LambdaPrice {
  architecture: LambdaArchitecture;
  usdPerGbSecond: number;
  usdPerMillionRequests: number;
}

export const LAMBDA_PRICES: readonly LambdaPrice[] = [
  { architecture: 'x86_64', usdPerGbSecond: 0.0000166667, usdPerMillionRequests: 0.2 },
  { architecture: 'arm64', usdPerGbSecond: 0.0000133334, usdPerMillionRequests: 0.2 },
];

export const LAMBDA_PRICE_SOURCE = {
  url: 'https://aws.amazon.com/lambda/pricing/',
  region: 'us-east-1',
  /** When these figures were taken from the page (first duration tier); check the page before quoting them. */
  date: '2026-11-29',
} as const;

/**
 * An always-on worker to compare with: one on-demand VM running the whole time. Default: EC2 t3.small in
 * us-east-1 (Linux, on-demand, https://aws.amazon.com/ec2/pricing/on-demand/, same date). Override with
 * SHOPFLOW_ALWAYS_ON_USD_PER_HOUR (and name it with SHOPFLOW_ALWAYS_ON_LABEL) to match what the audience runs.
 */
export const ALWAYS_ON_DEFAULT = { label: 'EC2 t3.small, on demand', usdPerHour: 0.0208 } as const;

/** Always-on fleets for the workload model: on-demand Linux prices per instance-hour, us-east-1. */
export interface InstancePrice {
  /** The name a flag or URL uses: `--fleet 2xt3.small`. */
  name: string;
  label: string;
  usdPerHour: number;
  source: string;
}

export const ALWAYS_ON_INSTANCES: readonly InstancePrice[] = [
  {
    name: 't3.small',
    label: 'EC2 t3.small (2 vCPU burstable, 2 GiB)',
    usdPerHour: 0.0208,
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  },
  {
    name: 't3.medium',
    label: 'EC2 t3.medium (2 vCPU burstable, 4 GiB)',
    usdPerHour: 0.0416,
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  },
  {
    name: 'm7g.medium',
    label: 'EC2 m7g.medium (1 vCPU Graviton, 4 GiB)',
    usdPerHour: 0.0408,
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  },
  {
    name: 'fargate-0.5vcpu-1gb',
    label: 'Fargate 0.5 vCPU, 1 GB (x86)',
    // 0.5 x $0.04048 per vCPU-hour + 1 x $0.004445 per GB-hour
    usdPerHour: 0.024685,
    source: 'https://aws.amazon.com/fargate/pricing/',
  },
  {
    name: 'fargate-1vcpu-2gb',
    label: 'Fargate 1 vCPU, 2 GB (x86)',
    // 1 x $0.04048 per vCPU-hour + 2 x $0.004445 per GB-hour
    usdPerHour: 0.04937,
    source: 'https://aws.amazon.com/fargate/pricing/',
  },
];

/** When the instance prices were taken from those pages (us-east-1, Linux, on demand). */
export const INSTANCE_PRICE_DATE = '2026-11-29';

/** A month as AWS bills an always-on instance: 730 hours. */
export const HOURS_PER_MONTH = 730;

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

/** The cost panel's arithmetic: measured requests and GB-seconds times config/prices.ts, next to an always-on VM. */

import { ALWAYS_ON_DEFAULT, LAMBDA_PRICES, LAMBDA_PRICE_SOURCE } from '../config/prices';
import { ConfigError } from '../config/config-error';
import type { CostView } from './console-types';

export interface AlwaysOnPrice {
  label: string;
  usdPerHour: number;
}

/** SHOPFLOW_ALWAYS_ON_USD_PER_HOUR / SHOPFLOW_ALWAYS_ON_LABEL, else the default in config/prices.ts. */
export function alwaysOnPrice(env: NodeJS.ProcessEnv = process.env): AlwaysOnPrice {
  const raw = env.SHOPFLOW_ALWAYS_ON_USD_PER_HOUR?.trim();
  if (!raw) return { ...ALWAYS_ON_DEFAULT, label: env.SHOPFLOW_ALWAYS_ON_LABEL?.trim() || ALWAYS_ON_DEFAULT.label };
  const usdPerHour = Number(raw);
  if (!Number.isFinite(usdPerHour) || usdPerHour < 0 || usdPerHour > 1000) {
    throw new ConfigError(
      `SHOPFLOW_ALWAYS_ON_USD_PER_HOUR "${raw}" must be a price in US dollars per hour, for example 0.0416`,
    );
  }
  return { label: env.SHOPFLOW_ALWAYS_ON_LABEL?.trim() || `always-on worker at $${usdPerHour}/h`, usdPerHour };
}

function usd(value: number): string {
  return `$${value.toPrecision(3)}`;
}

export function computeCost(input: {
  requests: number;
  billedGbSeconds: number;
  wallSeconds: number;
  memoryMb?: number;
  alwaysOn: AlwaysOnPrice;
}): CostView {
  const { requests, billedGbSeconds, wallSeconds, alwaysOn } = input;
  const lambda = LAMBDA_PRICES.map((price) => {
    const requestsUsd = (requests / 1_000_000) * price.usdPerMillionRequests;
    const computeUsd = billedGbSeconds * price.usdPerGbSecond;
    return { architecture: price.architecture, requestsUsd, computeUsd, totalUsd: requestsUsd + computeUsd };
  });
  const alwaysOnUsd = (wallSeconds / 3600) * alwaysOn.usdPerHour;
  const formulas = [
    ...LAMBDA_PRICES.map(
      (p, i) =>
        `Lambda ${p.architecture}: ${requests} requests × $${p.usdPerMillionRequests}/1M + ` +
        `${billedGbSeconds.toFixed(2)} GB-s × ` +
        `$${p.usdPerGbSecond}/GB-s = ${usd(lambda[i].totalUsd)}`,
    ),
    `${alwaysOn.label}: ${(wallSeconds / 3600).toFixed(4)} h × $${alwaysOn.usdPerHour}/h = ${usd(alwaysOnUsd)}`,
  ];
  return {
    requests,
    billedGbSeconds,
    memoryMb: input.memoryMb,
    wallSeconds,
    lambda,
    alwaysOn: { ...alwaysOn, totalUsd: alwaysOnUsd },
    formulas,
    priceSource: { ...LAMBDA_PRICE_SOURCE },
  };
}

/** Settings that come from the environment (SHOPFLOW_*), validated once with errors that say how to fix them. */

import path from 'node:path';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { ConfigError } from './config-error';
import { loadLedgerConfig, type LedgerConfig } from './ledger-config';
import {
  DEFAULT_BUILD_ID,
  DEPLOYMENT_NAME,
  DEV_SERVER_PORT,
  DEV_SERVER_UI_PORT,
  LAMBDA_EMPTY_CACHE_EXIT_MS,
  LAMBDA_FIRST_TASK_GRACE_MS,
  LAMBDA_IDLE_EXIT_MS,
} from './settings';

const BUILD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export interface ShopFlowEnvironment {
  version: WorkerDeploymentVersion;
  /** Where the journal and the dev server's state live. */
  dataDir: string;
  journalPath: string;
  /** Where the services record their effects (SHOPFLOW_LEDGER): the journal file or a shared DynamoDB table. */
  ledger: LedgerConfig;
  /** Multiplies the simulated services' latency: 0 = instant, 1 = realistic. */
  latencyScale: number;
  /** Lambda only: stop after this long without a task in flight; 0 = run until the deadline. */
  lambdaIdleExitMs: number;
  /** Lambda only: stop sooner than the idle exit when no task has come at all; 0 = no shorter wait. */
  lambdaFirstTaskGraceMs: number;
  /** Lambda only: stop sooner than the idle exit once the workflow cache is empty; 0 = no shorter wait. */
  lambdaEmptyCacheExitMs: number;
}

export function resolveBuildId(env: NodeJS.ProcessEnv = process.env): string {
  const buildId = env.SHOPFLOW_BUILD_ID?.trim() || DEFAULT_BUILD_ID;
  if (!BUILD_ID_PATTERN.test(buildId)) {
    throw new ConfigError(
      `SHOPFLOW_BUILD_ID "${buildId}" is not a valid build id: use letters, digits, '.', '_' or '-' (for example v2 or 2026-11-22.1)`,
    );
  }
  return buildId;
}

/** SHOPFLOW_DEPLOYMENT_NAME lets several ShopFlow installations share one namespace; default `shopflow`. */
export function resolveDeploymentName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.SHOPFLOW_DEPLOYMENT_NAME?.trim() || DEPLOYMENT_NAME;
  if (!BUILD_ID_PATTERN.test(name)) {
    throw new ConfigError(
      `SHOPFLOW_DEPLOYMENT_NAME "${name}" is not a valid deployment name: use letters, digits, '.', '_' or '-'`,
    );
  }
  return name;
}

export function workerDeploymentVersion(env: NodeJS.ProcessEnv = process.env): WorkerDeploymentVersion {
  return { deploymentName: resolveDeploymentName(env), buildId: resolveBuildId(env) };
}

/** Lambda's only writable folder is /tmp; elsewhere data lives in ./data (git ignores it). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LAMBDA_TASK_ROOT ? '/tmp/shopflow' : path.resolve('data');
}

export function loadShopFlowEnvironment(env: NodeJS.ProcessEnv = process.env): ShopFlowEnvironment {
  const dataDir = path.resolve(env.SHOPFLOW_DATA_DIR?.trim() || defaultDataDir(env));
  const journalPath = path.resolve(env.SHOPFLOW_JOURNAL?.trim() || path.join(dataDir, 'journal.jsonl'));
  const rawScale = env.SHOPFLOW_LATENCY_SCALE?.trim();
  const latencyScale = rawScale ? Number(rawScale) : 1;
  if (!Number.isFinite(latencyScale) || latencyScale < 0 || latencyScale > 100) {
    throw new ConfigError(
      `SHOPFLOW_LATENCY_SCALE "${rawScale}" must be a number from 0 (instant) to 100; 1 is realistic`,
    );
  }
  const rawIdle = env.SHOPFLOW_LAMBDA_IDLE_EXIT_MS?.trim();
  const lambdaIdleExitMs = rawIdle ? Number(rawIdle) : LAMBDA_IDLE_EXIT_MS;
  if (!Number.isInteger(lambdaIdleExitMs) || lambdaIdleExitMs < 0) {
    throw new ConfigError(
      `SHOPFLOW_LAMBDA_IDLE_EXIT_MS "${rawIdle}" must be a whole number of milliseconds (0 turns idle exit off)`,
    );
  }
  const rawGrace = env.SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS?.trim();
  const lambdaFirstTaskGraceMs = rawGrace ? Number(rawGrace) : LAMBDA_FIRST_TASK_GRACE_MS;
  if (!Number.isInteger(lambdaFirstTaskGraceMs) || lambdaFirstTaskGraceMs < 0) {
    throw new ConfigError(
      `SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS "${rawGrace}" must be a whole number of milliseconds (0 = wait the idle exit)`,
    );
  }
  const rawEmptyCache = env.SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS?.trim();
  const lambdaEmptyCacheExitMs = rawEmptyCache ? Number(rawEmptyCache) : LAMBDA_EMPTY_CACHE_EXIT_MS;
  if (!Number.isInteger(lambdaEmptyCacheExitMs) || lambdaEmptyCacheExitMs < 0) {
    throw new ConfigError(
      `SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS "${rawEmptyCache}" must be a whole number of milliseconds (0 turns the cache-empty exit off)`,
    );
  }
  const ledger = loadLedgerConfig(env, journalPath);
  return {
    version: workerDeploymentVersion(env),
    dataDir,
    journalPath,
    ledger,
    latencyScale,
    lambdaIdleExitMs,
    lambdaFirstTaskGraceMs,
    lambdaEmptyCacheExitMs,
  };
}

/** The local dev server's ports: SHOPFLOW_DEV_SERVER_PORT and SHOPFLOW_DEV_SERVER_UI_PORT, else 7233 and 8233. */
export function devServerPorts(env: NodeJS.ProcessEnv = process.env): { grpc: number; ui: number } {
  const port = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new ConfigError(`${name} "${raw}" is not a port: use a whole number from 1 to 65535 (default ${fallback})`);
    }
    return value;
  };
  return {
    grpc: port('SHOPFLOW_DEV_SERVER_PORT', DEV_SERVER_PORT),
    ui: port('SHOPFLOW_DEV_SERVER_UI_PORT', DEV_SERVER_UI_PORT),
  };
}

/** SHOPFLOW_WEB_UI: the Web UI's base URL, when links should point somewhere other than the server's own UI. */
export function webUiOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.SHOPFLOW_WEB_UI?.trim();
  if (!raw) return undefined;
  if (!/^https?:\/\/\S+$/.test(raw)) {
    throw new ConfigError(
      `SHOPFLOW_WEB_UI "${raw}" is not a web address: use http(s)://host[:port], e.g. https://cloud.temporal.io`,
    );
  }
  return raw.replace(/\/$/, '');
}

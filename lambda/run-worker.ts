/**
 * ShopFlow's `runWorker`: @temporalio/lambda-worker's `runWorker(version, configure)`, called the same way, with
 * the lifecycle in ./lifecycle.ts (the idle exit, the deadline measured after connecting, no eager activities) and
 * ShopFlow's defaults in one place: the idle-exit timings from the environment (config/environment.ts), the
 * scaler's cool-off (config/settings.ts), JSON logs through Powertools tagged with the request, and the Temporal
 * API key read from Secrets Manager when TEMPORAL_API_KEY_SECRET names one. `configure` may change any of them.
 */

import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { PowertoolsLoggerAdapter } from '@temporalio/lambda-worker';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { describeLedgerConfig } from '../activities/ledger/open-ledger';
import { API_KEY_SECRET_VARIABLE, loadConnectionConfig } from '../config/connection';
import { loadShopFlowEnvironment } from '../config/environment';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../config/settings';
import {
  createLambdaWorkerHandler,
  type LifecycleDependencies,
  type ShopFlowLambdaConfig,
  type ShopFlowLambdaHandler,
} from './lifecycle';

export type { ShopFlowLambdaConfig, ShopFlowLambdaHandler };

/** The real SDK behind the lifecycle's injected dependencies (tests pass fakes to createLambdaWorkerHandler). */
function sdkDependencies(): LifecycleDependencies {
  const apiKeySecret = process.env[API_KEY_SECRET_VARIABLE]?.trim();
  return {
    connect: (options) => NativeConnection.connect(options),
    createWorker: (options) => Worker.create(options),
    loadConnectConfig: () => loadConnectionConfig(),
    installRuntime: (options) => Runtime.install(options),
    getLogger: () => Runtime.instance().logger,
    // Loaded only when a secret is named: the Secrets Manager client stays off every other cold start.
    ...(apiKeySecret && {
      readApiKey: async () => (await import('./api-key-secret')).readApiKeySecret(apiKeySecret),
    }),
  };
}

export function runWorker(
  version: WorkerDeploymentVersion,
  configure: (config: ShopFlowLambdaConfig) => void,
): ShopFlowLambdaHandler {
  const environment = loadShopFlowEnvironment();
  /** JSON lines that CloudWatch Logs parses; every line carries the request id once the invocation starts. */
  const jsonLogger = new PowertoolsLogger({ serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'shopflow' });
  const handler = createLambdaWorkerHandler(
    version,
    (config) => {
      config.runtimeOptions.logger = new PowertoolsLoggerAdapter(jsonLogger);
      config.idleExitMs = environment.lambdaIdleExitMs;
      config.firstTaskGraceMs = environment.lambdaFirstTaskGraceMs;
      config.emptyCacheExitMs = environment.lambdaEmptyCacheExitMs;
      config.scaleUpCooloffMs = LAMBDA_SCALE_UP_COOLOFF_MS;
      config.invocationHooks.push((_invocation, context) => jsonLogger.addContext(context));
      configure(config);
    },
    sdkDependencies(),
  );
  jsonLogger.info('ShopFlow Lambda worker loaded', {
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    ledger: describeLedgerConfig(environment.ledger),
    idleExitMs: environment.lambdaIdleExitMs,
    firstTaskGraceMs: environment.lambdaFirstTaskGraceMs,
    emptyCacheExitMs: environment.lambdaEmptyCacheExitMs,
    scaleUpCooloffMs: LAMBDA_SCALE_UP_COOLOFF_MS,
  });
  return handler;
}

/** The ShopFlow Lambda worker: the same workflows, activities, task queue and version as `npm run worker`. */

import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { PowertoolsLoggerAdapter } from '@temporalio/lambda-worker';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { API_KEY_SECRET_VARIABLE, loadConnectionConfig } from '../config/connection';
import { describeLedgerConfig } from '../activities/ledger/open-ledger';
import { loadShopFlowEnvironment } from '../config/environment';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../config/settings';
import { readBuildInfo } from './build-info';
import { createLambdaWorkerHandler, type LifecycleDependencies } from './lifecycle';
import { packagedWorkerOptions } from './packaged-worker-options';

/** In the package, this file, the workflow bundle and build-info.json sit side by side at the root. */
const PACKAGE_DIR = __dirname;

const environment = loadShopFlowEnvironment();
const buildInfo = readBuildInfo(PACKAGE_DIR);
const version = buildInfo
  ? { deploymentName: buildInfo.deploymentName, buildId: buildInfo.buildId }
  : environment.version;

/** JSON lines that CloudWatch Logs parses; every line carries the request id once the invocation starts. */
const jsonLogger = new PowertoolsLogger({ serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'shopflow' });
let currentIdentity = 'lambda (between invocations)';

const apiKeySecret = process.env[API_KEY_SECRET_VARIABLE]?.trim();
const dependencies: LifecycleDependencies = {
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

export const handler = createLambdaWorkerHandler(
  version,
  (config) => {
    const { taskQueue } = config.workerOptions;
    Object.assign(
      config.workerOptions,
      packagedWorkerOptions({ packageDir: PACKAGE_DIR, environment, identity: () => currentIdentity, taskQueue }),
    );
    config.runtimeOptions.logger = new PowertoolsLoggerAdapter(jsonLogger);
    config.idleExitMs = environment.lambdaIdleExitMs;
    config.firstTaskGraceMs = environment.lambdaFirstTaskGraceMs;
    config.emptyCacheExitMs = environment.lambdaEmptyCacheExitMs;
    config.scaleUpCooloffMs = LAMBDA_SCALE_UP_COOLOFF_MS;
    config.invocationHooks.push((invocation, context) => {
      currentIdentity = invocation.identity;
      jsonLogger.addContext(context);
    });
  },
  dependencies,
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

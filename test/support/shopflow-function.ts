/**
 * Deploys a built ShopFlow package to the test run's local Lambda service the way `deploy:lambda` does: created, then
 * a numbered version published (the ARN to register), polling the test's own task queue of the test dev server.
 */

import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { deployLambda } from '../../machinery/deployment/lambda-deployment';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { testEnv } from './test-env';

export function deployTestFunction(
  lambda: LambdaClient,
  options: {
    functionName: string;
    zipFile: string;
    architecture: LambdaArchitecture;
    taskQueue: string;
    /** The function's variables on top of the test server's address, its task queue and instant services. */
    environment: Record<string, string>;
    /** The function timeout; default 60 s. A short one lets a test outlast several invocations quickly. */
    timeoutSeconds?: number;
  },
): Promise<FunctionConfiguration> {
  return deployLambda({
    client: lambda,
    functionName: options.functionName,
    zipFile: options.zipFile,
    publish: true,
    log: () => {},
    create: {
      roleArn: 'arn:aws:iam::000000000000:role/shopflow-lambda',
      architecture: options.architecture,
      timeoutSeconds: options.timeoutSeconds ?? 60,
      memoryMb: 1024,
      environment: {
        TEMPORAL_ADDRESS: testEnv('address'),
        TEMPORAL_TASK_QUEUE: options.taskQueue,
        SHOPFLOW_LATENCY_SCALE: '0',
        ...options.environment,
      },
    },
  });
}

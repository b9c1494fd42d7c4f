/** A presenter console against the test dev server and local Lambda service (global setup), on a free port. */

import { startConsole, type RunningConsole, type StartConsoleOptions } from '../../console/start-console';
import { testEnv } from './test-env';

export function startTestConsole(options: Partial<StartConsoleOptions> = {}): Promise<RunningConsole> {
  return startConsole({
    port: 0,
    functionName: 'shopflow-worker',
    temporal: {
      connectionOptions: { address: testEnv('address') },
      namespace: 'default',
      profile: 'test',
      summary: testEnv('address'),
    },
    awsEndpoint: testEnv('lambdaEndpoint'),
    ...options,
  });
}

/**
 * Closing the local Lambda service leaves no execution environment behind: when `close()` resolves, the
 * processes of busy and of frozen idle environments are gone (the demo and chaos runs check for leftovers
 * the moment they end).
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { startLocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createTestFunction, localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('close() resolves only after every environment process, busy or frozen, has exited', async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-shutdown-'));
  const local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  const lambda = localLambdaClient(local.endpoint);
  try {
    const name = await createTestFunction(lambda, dir, { timeout: 60 });
    const environments = () => local.service.environmentsOf(name);
    // One environment busy for a long time, a second one idle (frozen between invocations, as Lambda does).
    const busy = lambda.send(
      new InvokeCommand({
        FunctionName: name,
        Payload: new TextEncoder().encode(JSON.stringify({ action: 'sleep', ms: 30_000 })),
      }),
    );
    for (let i = 0; i < 100 && !environments().some((e) => e.state === 'busy' && e.pid); i++) await sleep(100);
    await lambda.send(new InvokeCommand({ FunctionName: name }));
    for (let i = 0; i < 100 && !environments().some((e) => e.isFrozen); i++) await sleep(100);
    const pids = environments().map((e) => e.pid!);
    expect(pids).toHaveLength(2);
    expect(pids.every(isRunning)).toBe(true);

    await local.close();

    expect(pids.filter(isRunning)).toEqual([]);
    // The invocation in flight failed at once, rather than waiting for its 60 s timeout.
    const result = await busy;
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(result.Payload))).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining('shut down'),
    });
  } finally {
    lambda.destroy();
    await local.close();
  }
}, 60_000);

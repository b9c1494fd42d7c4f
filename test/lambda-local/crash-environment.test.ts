/** Crashing a busy execution environment (what `npm run chaos` does): the invocation fails and counts as an error. */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createTestFunction, localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-crash-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

test('a crashed busy environment fails its invocation with Runtime.ExitError, counted as an error, and is not reused', async () => {
  const name = await createTestFunction(lambda, dir, { timeout: 30 });
  expect(local.service.crashBusyEnvironment(name)).toBeUndefined(); // nothing running yet

  const invoke = lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: new TextEncoder().encode(JSON.stringify({ action: 'sleep', ms: 20_000 })),
    }),
  );
  for (
    let i = 0;
    i < 100 && !local.service.environmentsOf(name).some((e) => e.state === 'busy' && e.pid !== undefined);
    i++
  )
    await sleep(100);
  const victim = local.service.crashBusyEnvironment(name);
  expect(victim).toBeDefined();
  const pid = victim!.pid!;

  const result = await invoke;
  expect(result.FunctionError).toBe('Unhandled');
  expect(JSON.parse(new TextDecoder().decode(result.Payload))).toMatchObject({
    errorType: 'Runtime.ExitError',
    errorMessage: expect.stringContaining('signal: SIGKILL'),
  });
  expect(victim!.state).toBe('dead');
  expect(() => process.kill(pid, 0)).toThrow();
  const now = Date.now();
  const errors = local.metrics
    .series(name, 'Errors', 'Sum', now - 60_000, now + 1_000, 3600)
    .values.reduce((a, b) => a + b, 0);
  expect(errors).toBe(1);

  // The next invocation gets a fresh environment.
  const next = await lambda.send(new InvokeCommand({ FunctionName: name }));
  expect(JSON.parse(new TextDecoder().decode(next.Payload))).toMatchObject({ invocations: 1 });
});

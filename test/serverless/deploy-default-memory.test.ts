/** deploy:lambda --create gives a new function the memory size the bench chose, and its help says why. */

import fs from 'node:fs';
import path from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { LAMBDA_DEFAULT_MEMORY_MB, LAMBDA_DEFAULT_MEMORY_REASON } from '../../config/settings';
import { localAwsEnvironment } from '../../machinery/lambda-local/local-aws-clients';
import { handlerZip, localLambdaClient } from '../support/function-zips';
import { startEntryPoint } from '../support/processes';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

test('without --memory, the function is created with the default size; --help gives the measurement behind it', async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'deploy-memory-'));
  const zipFile = path.join(dir, 'function.zip');
  fs.writeFileSync(zipFile, await handlerZip(dir, 'v1'));
  const functionName = uniqueName('default-memory');
  const env = localAwsEnvironment(testEnv('lambdaEndpoint'));
  const args = ['--function', functionName, '--zip', zipFile, '--no-publish', '--create'];
  const deploy = startEntryPoint(
    'scripts/deploy-lambda.ts',
    [...args, '--role', 'arn:aws:iam::000000000000:role/r'],
    env,
  );
  expect((await deploy.exited).code).toBe(0);
  expect(deploy.output()).toContain(`Creating ${functionName} (x86_64, ${LAMBDA_DEFAULT_MEMORY_MB} MB,`);
  const lambda = localLambdaClient(testEnv('lambdaEndpoint'));
  try {
    const created = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    expect(created.Configuration?.MemorySize).toBe(LAMBDA_DEFAULT_MEMORY_MB);
  } finally {
    lambda.destroy();
  }

  const help = startEntryPoint('scripts/deploy-lambda.ts', ['--help'], {});
  expect((await help.exited).code).toBe(0);
  expect(help.output()).toContain(`--memory         MB (default ${LAMBDA_DEFAULT_MEMORY_MB};`);
  for (const line of LAMBDA_DEFAULT_MEMORY_REASON) expect(help.output()).toContain(`                   ${line}\n`);
  expect(LAMBDA_DEFAULT_MEMORY_REASON.join(' ')).toMatch(/npm run bench -- --only memory, \d{4}-\d\d-\d\d/);
});

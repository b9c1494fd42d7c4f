/**
 * A deploy whose function would connect with a profile that still has temporal.toml's placeholders is refused
 * before anything is uploaded, with the fix; the environment's TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE override it.
 */

import fs from 'node:fs';
import path from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { deployLambda } from '../../machinery/deployment/lambda-deployment';
import { checkPackagedProfile, PlaceholderProfileError } from '../../machinery/deployment/packaged-profile';
import { writeZip } from '../../machinery/plumbing/zip';
import { PROJECT_ROOT } from '../../machinery/plumbing/project-paths';
import { localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

let zipFile: string;
beforeAll(async () => {
  // The project's own temporal.toml, as the build packs it: its cloud profiles hold placeholders.
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'profile-'));
  zipFile = path.join(dir, 'function.zip');
  await writeZip([{ name: 'temporal.toml', file: path.join(PROJECT_ROOT, 'temporal.toml') }], zipFile);
});

const message = (profile: string, address: string, namespace: string) =>
  `the function would connect with profile "${profile}" of the temporal.toml in ${zipFile}, which still has ` +
  `placeholders (address ${address}, namespace ${namespace}): edit [profile.${profile}] in temporal.toml and ` +
  'rebuild (npm run build:lambda), or give the function --env TEMPORAL_ADDRESS=... --env TEMPORAL_NAMESPACE=...';

test.each<[string, Record<string, string>, ((zip: string) => string) | undefined]>([
  [
    'the cloud profile',
    { TEMPORAL_PROFILE: 'cloud' },
    () => message('cloud', '<region>.<cloud>.api.temporal.io:7233', '<namespace>.<account-id>'),
  ],
  [
    'the cloud profile with only the address set',
    { TEMPORAL_PROFILE: 'cloud', TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233' },
    () => message('cloud', 'us-east-1.aws.api.temporal.io:7233', '<namespace>.<account-id>'),
  ],
  [
    'the cloud profile, overridden by the environment',
    {
      TEMPORAL_PROFILE: 'cloud',
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'shop.a1b2c',
    },
    undefined,
  ],
  ['the default profile (the local dev server)', {}, undefined],
])('%s', async (_row, env, refusal) => {
  const check = checkPackagedProfile(zipFile, env);
  if (refusal) await expect(check).rejects.toThrow(new PlaceholderProfileError(refusal(zipFile)));
  else await expect(check).resolves.toBeUndefined();
});

test('deploy:lambda --create with that profile creates nothing', async () => {
  const client = localLambdaClient(testEnv('lambdaEndpoint'));
  const functionName = uniqueName('placeholder-fn');
  const create = {
    roleArn: 'arn:aws:iam::000000000000:role/shopflow-lambda',
    architecture: 'x86_64' as const,
    timeoutSeconds: 90,
    memoryMb: 1024,
    environment: { TEMPORAL_PROFILE: 'cloud' },
  };
  await expect(
    deployLambda({ client, functionName, zipFile, publish: true, create, log: () => {} }),
  ).rejects.toBeInstanceOf(PlaceholderProfileError);
  await expect(client.send(new GetFunctionCommand({ FunctionName: functionName }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
  client.destroy();
});

/** A redeploy keeps the invocation role: given flags, else this build id's registration, else the Current Version's. */

import type { ConnectionLike } from '@temporalio/client';
import { resolveInvocationRole } from '../../machinery/deployment/invocation-role';

const ROLE_A = 'arn:aws:iam::123456789012:role/temporal-invoke-a';
const ROLE_B = 'arn:aws:iam::123456789012:role/temporal-invoke-b';

/** A version's info as the server describes it, with a Lambda compute config. */
function versionInfo(role?: string, externalId?: string) {
  const details = {
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:shopflow-worker:3',
    role,
    role_external_id: externalId,
  };
  return {
    workerDeploymentVersionInfo: {
      computeConfig: {
        scalingGroups: {
          default: {
            provider: { type: 'aws-lambda', details: { data: new TextEncoder().encode(JSON.stringify(details)) } },
          },
        },
      },
    },
  };
}

/** A server that knows `versions` (build id -> role) and whose Current Version is `current`. */
function server(versions: Record<string, [string?, string?]>, current?: string) {
  const notFound = Object.assign(new Error('not found'), { code: 5 });
  const workflowService = {
    describeWorkerDeploymentVersion: async ({ deploymentVersion }: { deploymentVersion: { buildId: string } }) => {
      const known = versions[deploymentVersion.buildId];
      if (!known) throw notFound;
      return versionInfo(...known);
    },
    describeWorkerDeployment: async () => ({
      workerDeploymentInfo: { routingConfig: { currentDeploymentVersion: current ? { buildId: current } : null } },
    }),
  };
  return { workflowService } as unknown as Pick<ConnectionLike, 'workflowService'>;
}

const v3 = { deploymentName: 'shopflow', buildId: 'v3' };

test.each([
  [
    'flags win over everything',
    server({ v3: [ROLE_A, 'ext-a'] }, 'v3'),
    { roleArn: ROLE_B, externalId: 'ext-b' },
    { roleArn: ROLE_B, externalId: 'ext-b', source: 'flags' },
  ],
  [
    'this build id keeps its own role',
    server({ v3: [ROLE_A, 'ext-a'], v2: [ROLE_B, 'ext-b'] }, 'v2'),
    {},
    { roleArn: ROLE_A, externalId: 'ext-a', source: 'this build id' },
  ],
  [
    "a new build id takes the Current Version's role",
    server({ v2: [ROLE_B, 'ext-b'] }, 'v2'),
    {},
    { roleArn: ROLE_B, externalId: 'ext-b', source: 'the Current Version' },
  ],
  ['nothing registered with a role: none, said so', server({ v2: [] }, 'v2'), {}, { source: 'none' }],
  ['no deployment at all', server({}), {}, { source: 'none' }],
])('%s', async (_row, connection, given, expected) => {
  expect(await resolveInvocationRole(connection, 'default', v3, given)).toEqual(expected);
});

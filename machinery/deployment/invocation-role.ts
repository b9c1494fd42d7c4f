/**
 * The invocation role a new registration carries: Temporal Cloud refuses a version without a role and external id
 * (`require_role_and_external_id`), so a redeploy never drops them. Given flags win; otherwise the role already
 * registered for this build id, otherwise the Current Version's. The server never returns the external id's value
 * to anyone but the registration (it is read back from the version's compute config, as register:lambda wrote it).
 */

import type { ConnectionLike } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { describeVersion, registeredTarget, type LambdaTarget } from './lambda-registration';

export type InvocationRole = Pick<LambdaTarget, 'roleArn' | 'externalId'> & {
  /** Where it came from, for the log. */
  source: 'flags' | 'this build id' | 'the Current Version' | 'none';
};

/** Why a registration without a role is refused before anything is published or registered. */
export const NO_ROLE =
  'no invocation role: Temporal Cloud (and the local dev server, which enforces the same rule) refuses a Lambda ' +
  'compute config without a role and external id, and neither this build id nor the Current Version has one: pass ' +
  '--role-arn and --external-id (the TemporalInvocationRole that infra/iam-roles.json makes, and its ExternalId)';

export async function resolveInvocationRole(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  version: WorkerDeploymentVersion,
  given: Pick<LambdaTarget, 'roleArn' | 'externalId'>,
): Promise<InvocationRole> {
  if (given.roleArn || given.externalId) return { ...given, source: 'flags' };
  const own = registeredTarget(await describeVersion(connection, namespace, version));
  if (own?.roleArn) return { roleArn: own.roleArn, externalId: own.externalId, source: 'this build id' };
  const current = await currentVersion(connection, namespace, version.deploymentName);
  const theirs = current && registeredTarget(await describeVersion(connection, namespace, current));
  if (theirs?.roleArn) return { roleArn: theirs.roleArn, externalId: theirs.externalId, source: 'the Current Version' };
  return { source: 'none' };
}

async function currentVersion(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  deploymentName: string,
): Promise<WorkerDeploymentVersion | undefined> {
  try {
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
      namespace,
      deploymentName,
    });
    const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion;
    return current?.buildId ? { deploymentName, buildId: current.buildId } : undefined;
  } catch (err) {
    if ((err as { code?: number }).code === 5) return undefined; // no deployment yet
    throw err;
  }
}

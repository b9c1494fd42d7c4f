/**
 * A versioned worker only receives new orders once its version is the deployment's Current Version. On a fresh
 * server there is none, so the first worker makes its own version current; if another version already is, the
 * choice is left to a person (a rollout decision), with the command that makes it.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { ConnectionLike } from '@temporalio/client';

export type CurrentVersionOutcome =
  | { outcome: 'already-current' }
  | { outcome: 'made-current' }
  | { outcome: 'other-version-current'; currentBuildId: string };

interface Options {
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  version: WorkerDeploymentVersion;
  identity: string;
  /** How long to wait for the server to see this worker's pollers. */
  timeoutMs?: number;
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 5;
}

export async function ensureCurrentVersion(options: Options): Promise<CurrentVersionOutcome> {
  const { connection, namespace, version, identity } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    try {
      const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
        namespace,
        deploymentName: version.deploymentName,
      });
      const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;
      if (current === version.buildId) return { outcome: 'already-current' };
      if (current) return { outcome: 'other-version-current', currentBuildId: current };
      const known = workerDeploymentInfo?.versionSummaries?.some(
        (v) => v.deploymentVersion?.buildId === version.buildId,
      );
      if (known) {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({
          namespace,
          deploymentName: version.deploymentName,
          buildId: version.buildId,
          identity,
        });
        return { outcome: 'made-current' };
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the server has not registered ${version.deploymentName}/${version.buildId} after ${options.timeoutMs ?? 20_000} ms; is the worker polling?`,
      );
    }
    await sleep(250);
  }
}

export function setCurrentCommand(version: WorkerDeploymentVersion): string {
  return `temporal worker deployment set-current-version --deployment-name ${version.deploymentName} --build-id ${version.buildId}`;
}

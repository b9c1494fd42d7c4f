/**
 * Registers a Lambda function as the compute of a Worker Deployment Version, so Temporal's worker controller
 * invokes it when a task of that version finds no poller, and makes the version current. Uses the client's
 * workflowService directly, so no CLI is needed; the equivalent CLI commands are printed for people who prefer it.
 */

import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { LAMBDA_SCALE_UP_COOLOFF_MS } from '../../config/settings';

export interface LambdaTarget {
  functionArn: string;
  /** The IAM role Temporal assumes to invoke the function, and the external id its trust policy requires. */
  roleArn?: string;
  externalId?: string;
}

export interface RegistrationResult {
  action: 'created' | 'updated' | 'unchanged';
  /** Set when an unqualified ARN was registered (allowLatest): what can break. */
  warning?: string;
  madeCurrent: boolean;
  description: temporal.api.deployment.v1.IWorkerDeploymentVersionInfo;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const ROLE_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** Temporal's constraint on an external id (its CloudFormation templates; infra/iam-roles.json keeps the same). */
export const EXTERNAL_ID_PATTERN = /^[a-zA-Z0-9_+=,.@-]{5,45}$/;

/** True for an ARN that names a published version (`...:function:NAME:7`), not $LATEST or the bare function. */
export function isVersionQualified(functionArn: string): boolean {
  return /:function:[A-Za-z0-9_-]+:\d+$/.test(functionArn);
}

/** The one-sentence warning for registering $LATEST. */
export const LATEST_WARNING =
  'Warning: with an unqualified ARN every later upload changes the code under orders already in flight, ' +
  'so a workflow change fails them with non-determinism errors, even pinned ones.';

export function validateTarget(target: LambdaTarget, allowLatest = false): void {
  if (!ARN_PATTERN.test(target.functionArn)) {
    throw new Error(
      `"${target.functionArn}" is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<version>])`,
    );
  }
  if (!allowLatest && !isVersionQualified(target.functionArn)) {
    throw new Error(
      `"${target.functionArn}" is not version-qualified: register a published version (npm run deploy:lambda ` +
        'publishes one and prints its ARN, ending in :N), or pass --allow-latest to register $LATEST anyway',
    );
  }
  if (Boolean(target.roleArn) !== Boolean(target.externalId)) {
    throw new Error(
      '--role-arn and --external-id go together: Temporal assumes the role only with the external id its trust policy requires',
    );
  }
  if (target.roleArn && !ROLE_PATTERN.test(target.roleArn)) {
    throw new Error(`"${target.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  }
  if (target.externalId && !EXTERNAL_ID_PATTERN.test(target.externalId)) {
    // The value is a secret of sorts: say what is wrong with it, never echo it.
    throw new Error(
      `the external id (${target.externalId.length} characters) does not meet Temporal's constraint: 5-45 ` +
        "characters of letters, digits and _+=,.@- (the same as the template's ExternalId parameter)",
    );
  }
}

/** A details payload, encoded the way Temporal's default data converter encodes JSON. */
function jsonPayload(details: Record<string, unknown>): temporal.api.common.v1.IPayload {
  return {
    metadata: { encoding: new TextEncoder().encode('json/plain') },
    data: new TextEncoder().encode(JSON.stringify(details)),
  };
}

function providerDetails(target: LambdaTarget): temporal.api.common.v1.IPayload {
  const details: Record<string, string> = { arn: target.functionArn };
  if (target.roleArn) details.role = target.roleArn;
  if (target.externalId) details.role_external_id = target.externalId;
  return jsonPayload(details);
}

/**
 * The worker controller's scaler: `no-sync` (invoke when a task finds no poller), at most once per cool-off
 * (config/settings.ts says why). Without a cool-off the controller's own default applies (100 ms).
 */
export function scalingGroup(
  target: LambdaTarget,
  scaleUpCooloffMs: number | undefined,
): temporal.api.compute.v1.IComputeConfigScalingGroup {
  return {
    provider: { type: 'aws-lambda', details: providerDetails(target) },
    scaler:
      scaleUpCooloffMs === undefined
        ? { type: 'no-sync' }
        : { type: 'no-sync', details: jsonPayload({ scale_up_cooloff_ms: scaleUpCooloffMs }) },
  };
}

/** The scale-up cool-off the version's scaler has now (undefined: the controller's default). */
export function registeredCooloffMs(
  info: temporal.api.deployment.v1.IWorkerDeploymentVersionInfo | null | undefined,
): number | undefined {
  const data = info?.computeConfig?.scalingGroups?.default?.scaler?.details?.data;
  if (!data || data.length === 0) return undefined;
  const details = JSON.parse(new TextDecoder().decode(data)) as { scale_up_cooloff_ms?: number };
  return details.scale_up_cooloff_ms;
}

/** What the version's compute config points at now, if anything. */
export function registeredTarget(
  info: temporal.api.deployment.v1.IWorkerDeploymentVersionInfo | null | undefined,
): LambdaTarget | undefined {
  const group = info?.computeConfig?.scalingGroups?.default;
  const data = group?.provider?.details?.data;
  if (group?.provider?.type !== 'aws-lambda' || !data) return undefined;
  const details = JSON.parse(new TextDecoder().decode(data)) as {
    arn: string;
    role?: string;
    role_external_id?: string;
  };
  return { functionArn: details.arn, roleArn: details.role, externalId: details.role_external_id };
}

function sameTarget(a: LambdaTarget | undefined, b: LambdaTarget): boolean {
  return (
    a?.functionArn === b.functionArn &&
    (a.roleArn ?? '') === (b.roleArn ?? '') &&
    (a.externalId ?? '') === (b.externalId ?? '')
  );
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 5;
}

/** A version with compute can only be created in an existing deployment; a serverless one has no pollers to create it. */
async function ensureDeployment(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  deploymentName: string,
  identity: string,
): Promise<void> {
  try {
    await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await connection.workflowService.createWorkerDeployment({
      namespace,
      deploymentName,
      identity,
      requestId: `${identity}-${Date.now()}`,
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS: someone else just created it
  }
}

export async function describeVersion(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  version: WorkerDeploymentVersion,
): Promise<temporal.api.deployment.v1.IWorkerDeploymentVersionInfo | undefined> {
  try {
    const response = await connection.workflowService.describeWorkerDeploymentVersion({
      namespace,
      deploymentVersion: version,
    });
    return response.workerDeploymentVersionInfo ?? undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function registerLambda(options: {
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  version: WorkerDeploymentVersion;
  target: LambdaTarget;
  identity: string;
  makeCurrent: boolean;
  /** Accept an unqualified ARN ($LATEST); the result then carries LATEST_WARNING. */
  allowLatest?: boolean;
  /** The scaler's scale-up cool-off; default LAMBDA_SCALE_UP_COOLOFF_MS, null for the controller's own default. */
  scaleUpCooloffMs?: number | null;
}): Promise<RegistrationResult> {
  const { connection, namespace, version, target, identity } = options;
  const cooloffMs =
    options.scaleUpCooloffMs === null ? undefined : (options.scaleUpCooloffMs ?? LAMBDA_SCALE_UP_COOLOFF_MS);
  validateTarget(target, options.allowLatest);
  const warning = isVersionQualified(target.functionArn) ? undefined : LATEST_WARNING;
  const existing = await describeVersion(connection, namespace, version);
  let action: RegistrationResult['action'];
  if (!existing) {
    await ensureDeployment(connection, namespace, version.deploymentName, identity);
    // The server validates the config first (GetFunction on the ARN), then invokes the function once so the
    // version's task queues get registered.
    await connection.workflowService.createWorkerDeploymentVersion({
      namespace,
      deploymentVersion: version,
      computeConfig: { scalingGroups: { default: scalingGroup(target, cooloffMs) } },
      identity,
      requestId: `${identity}-${Date.now()}`,
    });
    action = 'created';
  } else if (sameTarget(registeredTarget(existing), target) && registeredCooloffMs(existing) === cooloffMs) {
    action = 'unchanged';
  } else {
    await connection.workflowService.updateWorkerDeploymentVersionComputeConfig({
      namespace,
      deploymentVersion: version,
      computeConfigScalingGroups: {
        default: { scalingGroup: scalingGroup(target, cooloffMs), updateMask: { paths: ['provider', 'scaler'] } },
      },
      identity,
    });
    action = 'updated';
  }

  let madeCurrent = false;
  if (options.makeCurrent) {
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
      namespace,
      deploymentName: version.deploymentName,
    });
    if (workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId !== version.buildId) {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity,
        // A serverless version has no pollers until its first invocation; that is expected here.
        allowNoPollers: true,
        ignoreMissingTaskQueues: true,
      });
      madeCurrent = true;
    }
  }
  const description = await describeVersion(connection, namespace, version);
  return { action, madeCurrent, description: description ?? {}, ...(warning && { warning }) };
}

/**
 * The same registration with the Temporal CLI, from a fresh namespace: the deployment first (a version with compute
 * can only be created in an existing one), the version, making it current, and the check that it is served.
 */
export function cliCommands(version: WorkerDeploymentVersion, target: LambdaTarget): string[] {
  const role = target.roleArn
    ? ` \\\n    --aws-lambda-assume-role-arn ${target.roleArn} --aws-lambda-assume-role-external-id <external-id>`
    : ' \\\n    --aws-lambda-skip-role-and-external-id';
  return [
    `temporal worker deployment create --name ${version.deploymentName}`,
    `temporal worker deployment create-version --deployment-name ${version.deploymentName} --build-id ${version.buildId} \\\n    --aws-lambda-function-arn ${target.functionArn}${role}`,
    `temporal worker deployment set-current-version --deployment-name ${version.deploymentName} --build-id ${version.buildId} --allow-no-pollers`,
    `temporal worker deployment describe-version --deployment-name ${version.deploymentName} --build-id ${version.buildId} --report-task-queue-stats`,
  ];
}

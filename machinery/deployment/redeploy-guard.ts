/**
 * The guard before a build id is published or registered again: orders in flight are pinned to their build id, so
 * the function version registered for it must keep running the same workflow code. Same workflow bundle (an
 * activity-only fix): the build id may move to the new version, once the recorded histories replay on it.
 * Anything else is refused with the fix. Reads only: GetFunction and DescribeWorkerDeploymentVersion.
 */

import fs from 'node:fs';
import path from 'node:path';
import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectionLike } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { describeVersion, registeredTarget } from './lambda-registration';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import { nextBuildId, parseVersionDescription, splitFunctionArn } from './version-label';

export const RECORDED_HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'replay', 'histories');

/** The guard said no: the message names the problem and the fix, and nothing was published or registered. */
export class RedeployRefusedError extends Error {}

export interface GuardOptions {
  lambda: LambdaClient;
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  version: WorkerDeploymentVersion;
  /** The function about to be published or registered (its ARN, with or without a qualifier). */
  functionArn: string;
  /** The workflow bundle's sha256 of the code about to go out; undefined when it cannot be known. */
  workflowBundleSha256: string | undefined;
  /** The workflow bundle itself, to replay the recorded histories on before a build id is reused. */
  workflowBundleCode?: string;
  historiesDir?: string;
  /** --allow-latest: the caller accepted $LATEST, whose workflow code cannot be known. */
  allowUnknownWorkflow?: boolean;
}

export type GuardVerdict =
  | { kind: 'new-build-id' }
  | { kind: 'same-workflow'; registeredArn: string; historiesReplayed: number }
  | { kind: 'no-lambda-yet' }
  | { kind: 'unknown-workflow-allowed'; registeredArn: string };

function bumpFix(buildId: string): string {
  return `bump SHOPFLOW_BUILD_ID (${buildId} -> ${nextBuildId(buildId)}) so orders in flight stay on ${buildId}`;
}

async function workflowShaOf(lambda: LambdaClient, arn: string): Promise<string | undefined> {
  const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: arn }));
  return parseVersionDescription(Configuration?.Description)?.workflowBundleSha256;
}

/** The core's own words for a nondeterminism error ("[TMPRL1100] ..."), without the Rust debug dump around them. */
function coreReason(message: string): string {
  return /\[TMPRL\d+\][^"]*/.exec(message)?.[0] ?? message.split('\n')[0];
}

/** Replays every recorded history on the bundle; the first determinism error refuses the redeploy. */
async function replayRecordedHistories(code: string, dir: string, buildId: string): Promise<number> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))),
  }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
    if (result.error?.name === 'DeterminismViolationError') {
      throw new RedeployRefusedError(
        `the new workflow bundle cannot replay the recorded history ${result.workflowId}.json ` +
          `(${coreReason(result.error.message)}): ${bumpFix(buildId)}`,
      );
    }
    if (result.error) throw result.error;
  }
  return histories.length;
}

export async function checkBuildIdReuse(options: GuardOptions): Promise<GuardVerdict> {
  const { version } = options;
  const existing = await describeVersion(options.connection, options.namespace, version);
  if (!existing) return { kind: 'new-build-id' };
  const registered = registeredTarget(existing);
  // The version exists without a Lambda (a local worker created it by polling): there is no function code to compare.
  if (!registered) return { kind: 'no-lambda-yet' };
  const registeredArn = registered.functionArn;
  const ours = splitFunctionArn(options.functionArn);
  const theirs = splitFunctionArn(registeredArn);
  if (ours.functionArn !== theirs.functionArn) {
    throw new RedeployRefusedError(
      `build id ${version.buildId} is already registered to another function (${registeredArn}), ` +
        `not ${ours.functionName}: ` +
        `give this function its own build id (SHOPFLOW_BUILD_ID=${nextBuildId(version.buildId)}) or deploy to ${theirs.functionName}`,
    );
  }
  const registeredSha = await workflowShaOf(options.lambda, registeredArn);
  if (!registeredSha || !options.workflowBundleSha256) {
    if (options.allowUnknownWorkflow) return { kind: 'unknown-workflow-allowed', registeredArn };
    const which = registeredSha ? options.functionArn : registeredArn;
    throw new RedeployRefusedError(
      `cannot tell which workflow code ${which} runs (no "workflow sha256:" label: $LATEST, or published without ` +
        `npm run deploy:lambda), so build id ${version.buildId} cannot be reused safely: ${bumpFix(version.buildId)}`,
    );
  }
  if (registeredSha !== options.workflowBundleSha256) {
    throw new RedeployRefusedError(
      `workflow code changed: ${bumpFix(version.buildId)} ` +
        `(registered ${registeredArn} has workflow sha256 ${registeredSha.slice(0, 12)}..., ` +
        `the new build ${options.workflowBundleSha256.slice(0, 12)}...)`,
    );
  }
  const historiesReplayed = options.workflowBundleCode
    ? await replayRecordedHistories(
        options.workflowBundleCode,
        options.historiesDir ?? RECORDED_HISTORIES_DIR,
        version.buildId,
      )
    : 0;
  return { kind: 'same-workflow', registeredArn, historiesReplayed };
}

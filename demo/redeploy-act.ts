/**
 * The demo's optional act 5 (`--redeploy`): ship the next build live with zip-and-upload while orders of the current
 * one are in flight on the Lambda. The new build is published as its own Lambda version and made current; the orders
 * in flight finish on their build's version, new orders run on the new one. Each order's build id and function
 * version are shown, read from the server (describe and history), never a query.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { TRACKING_LINE } from '../activities/simulated/notification-message';
import type { RedeployControl } from '../console/actions/redeploy-action';
import { buildNextRelease, currentVersion, shipRelease } from '../machinery/deployment/next-release';
import { formatVersionTable, retirementAdvice, versionTable } from '../machinery/deployment/version-drainage';
import { VERSION_DRAINAGE_REFRESH_S } from '../config/settings';
import { nextBuildId, splitFunctionArn } from '../machinery/deployment/version-label';
import { localAwsClient } from '../machinery/lambda-local/local-aws-clients';
import { waitFor } from '../machinery/plumbing/wait-for';
import type { FollowedOrder } from '../client/follow-order';
import type { Narrator } from './narrator';
import { submitWave } from './order-wave';
import type { Stage } from '../machinery/devstack/stage';

export interface RedeployActInput {
  client: Client;
  stage: Stage;
  narrator: Narrator;
  demoDir: string;
  functionName: string;
  lambdaEndpoint: string;
  serverAddress: string;
  uiUrl: string;
  version: WorkerDeploymentVersion;
  orders: number;
  /** Environments of the function running an invocation now: the act ends once they are done. */
  busyEnvironments: () => number;
  /** The presenter console's redeploys: the act ships through it, so the page shows it and its button waits. */
  redeploys?: Pick<RedeployControl, 'exclusive'>;
}

const SHIPMENT_UNDER_WAY_MS = 6_000;
/** The dev server checks drainage 5 s after a version stops being current, then every 2 s (machinery/devstack/dev-server). */
const DRAINED_WITHIN_MS = 20_000;

/** What the notification step said it sent (its result's detail, read from history). */
function notificationOf(order: FollowedOrder): string | undefined {
  return order.progress.steps.find((s) => s.name === 'notifyCustomer')?.detail;
}

/** The Lambda version a step ran on, from its worker identity `<requestId>@<arn>:<version>`. */
function functionVersionOf(worker: string | undefined): string {
  return (worker && splitFunctionArn(worker.slice(worker.indexOf('@') + 1)).qualifier) ?? '$LATEST';
}

async function pinnedBuildId(client: Client, workflowId: string): Promise<string> {
  const { workflowExecutionInfo } = await client.workflowService.describeWorkflowExecution({
    namespace: 'default',
    execution: { workflowId },
  });
  return workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId ?? 'unversioned';
}

/** Runs the act; returns what went against the story (DEMO PROBLEM lines), empty when it held. */
export async function redeployAct(input: RedeployActInput): Promise<string[]> {
  const { client, narrator } = input;
  const lambda = localAwsClient(LambdaClient, input.lambdaEndpoint);
  const connection = await NativeConnection.connect({ address: input.serverAddress });
  input.stage.own('redeploy connections', async () => {
    lambda.destroy();
    await connection.close();
  });
  // The stage's build, unless the console's "Ship the next build" already moved on: the act follows the server.
  const version = await currentVersion(connection, 'default', input.version.deploymentName);
  // Every build the next-release path ships carries its features: then the in-flight orders show them too.
  const shippedBefore = version.buildId !== input.version.buildId;
  const next = nextBuildId(version.buildId);
  await narrator.beginAct(
    `ship ${next} live`,
    `Orders of ${version.buildId} are running on the Lambda. We upload a new zip as ${next}: ` +
      'it becomes its own Lambda version, ' +
      `new orders go to it, and the ${version.buildId} orders finish on ${version.buildId}'s version, untouched.`,
  );
  const { release, inFlight, result, busyBefore } = await shipUnderOrders(input, { lambda, connection, version });
  narrator.step(
    `redeploy took ${result.seconds.total.toFixed(1)} s after the build ` +
      `(done ahead, in ${release.buildSeconds.toFixed(1)} s)`,
  );
  for (const line of formatVersionTable(result.versions)) narrator.say(`  ${line}`);

  await waitForValidationInvocation(input, next, busyBefore);
  const fresh = await submitWave(
    client,
    { scenario: 'happy', count: input.orders, label: next, uiUrl: input.uiUrl },
    narrator,
  );
  const [old, renewed] = await Promise.all([inFlight.ended, fresh.ended]);
  narrator.say('Each order, its build id, the Lambda version that ran its steps, and the notification it sent:');
  const oldArn = result.versions.find((v) => v.buildId === version.buildId)?.functionArn;
  const oldVersion = oldArn && splitFunctionArn(oldArn).qualifier;
  const newVersion = splitFunctionArn(result.publishedArn).qualifier;
  const problems = [
    ...(await checkOrders(
      input,
      old,
      { buildId: version.buildId, lambdaVersion: oldVersion, tracking: shippedBefore },
      version.buildId,
    )),
    ...(await checkOrders(
      input,
      renewed,
      { buildId: next, lambdaVersion: newVersion, tracking: true },
      version.buildId,
    )),
  ];
  await showDrainage(narrator, connection, version);
  await waitFor(() => input.busyEnvironments() === 0, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: 'the Lambda invocations to end',
  });
  return problems;
}

/**
 * Builds the next release ahead, sends a wave of slow orders, and ships the release while their shipment runs; through
 * the console's redeploys when there are, so the page shows it and its button waits.
 */
async function shipUnderOrders(
  input: RedeployActInput,
  clients: { lambda: LambdaClient; connection: NativeConnection; version: WorkerDeploymentVersion },
) {
  const { client, narrator } = input;
  const { lambda, connection, version } = clients;
  const next = nextBuildId(version.buildId);
  const exclusive = input.redeploys
    ? <T>(work: (log: (line: string) => void) => Promise<T>) => input.redeploys!.exclusive('the demo (act 5)', work)
    : <T>(work: (log: (line: string) => void) => Promise<T>) => work(() => {});
  return exclusive(async (pageLog) => {
    const step = (line: string) => {
      narrator.step(line);
      pageLog(line);
    };
    const built = await buildNextRelease({ current: version, dir: input.demoDir, log: step });
    step(`built ahead in ${built.buildSeconds.toFixed(1)} s; new in ${next}: ${built.releaseFeatures.join(', ')}`);
    const wave = await submitWave(
      client,
      { scenario: 'slow', count: input.orders, label: `${version.buildId}, in flight`, uiUrl: input.uiUrl },
      narrator,
    );
    // A cold start and the first two steps take a few seconds; the slow shipment then runs for 20 s: ship under it.
    await sleep(SHIPMENT_UNDER_WAY_MS);
    const busyBefore = input.busyEnvironments();
    const shipped = await shipRelease({
      release: built,
      lambda,
      connection,
      namespace: 'default',
      functionName: input.functionName,
      identity: 'shopflow-demo',
      log: step,
    });
    return { release: built, inFlight: wave, result: shipped, busyBefore };
  });
}

/**
 * Temporal checks the new version with one invocation; an order reaching that worker as it idles out would wait
 * for its task timeout, so the new orders go in once it has ended.
 */
async function waitForValidationInvocation(input: RedeployActInput, next: string, busyBefore: number): Promise<void> {
  input.narrator.step(`waiting for Temporal's validation invocation of ${next} to end...`);
  const started = () => input.busyEnvironments() > busyBefore;
  await waitFor(started, { timeoutMs: 10_000, intervalMs: 100, what: 'it to start' }).catch(() => undefined);
  const ended = () => input.busyEnvironments() <= busyBefore;
  await waitFor(ended, { timeoutMs: 60_000, intervalMs: 200, what: 'the validation invocation to end' });
}

/** Says each order's build, Lambda version and notification; returns what differs from the expected. */
async function checkOrders(
  input: Pick<RedeployActInput, 'client' | 'narrator'>,
  orders: FollowedOrder[],
  expected: { buildId: string; lambdaVersion: string | undefined; tracking: boolean },
  /** The build the act started from: its notification has no tracking link unless it was shipped before. */
  oldBuildId: string,
): Promise<string[]> {
  const { client, narrator } = input;
  const { buildId, lambdaVersion, tracking } = expected;
  const problems: string[] = [];
  for (const order of orders) {
    const pinned = await pinnedBuildId(client, order.workflowId);
    const versions = [...new Set(order.progress.steps.filter((s) => s.worker).map((s) => functionVersionOf(s.worker)))];
    const notification = notificationOf(order);
    narrator.say(
      `  ${order.workflowId}: ${order.state}, build ${pinned}, Lambda version ${versions.join(', ') || 'none'}`,
    );
    narrator.say(`    notification: ${notification ?? 'none'}`);
    if (pinned !== buildId || versions.some((v) => v !== lambdaVersion) || order.state !== 'COMPLETED') {
      problems.push(`${order.workflowId} should have completed on build ${buildId}, Lambda version ${lambdaVersion}`);
    }
    if (notification?.includes(TRACKING_LINE) !== tracking) {
      const what = tracking ? 'the tracking link' : `${oldBuildId}'s notification, without a tracking link`;
      problems.push(`${order.workflowId} should have sent ${what}; it sent ${notification ?? 'nothing'}`);
    }
  }
  return problems;
}

/** Waits for the server to see the old build drained, then shows the versions and whether it may be retired. */
async function showDrainage(
  narrator: Narrator,
  connection: NativeConnection,
  version: WorkerDeploymentVersion,
): Promise<void> {
  // The server checks drainage a few seconds after a version's last order ends: show the table once it has.
  narrator.step(`waiting for the server to see ${version.buildId} drained...`);
  let after = await versionTable(connection, 'default', version.deploymentName);
  const drained = async () => {
    after = await versionTable(connection, 'default', version.deploymentName);
    return after.find((v) => v.buildId === version.buildId)?.status === 'DRAINED';
  };
  await waitFor(drained, { timeoutMs: DRAINED_WITHIN_MS, intervalMs: 1_000, what: 'drained' }).catch(() => undefined);
  // Retiring needs DRAINED and no open order on two reads a drainage refresh apart: read once more after one.
  const first = { at: Date.now(), rows: after };
  await sleep(VERSION_DRAINAGE_REFRESH_S.devServer * 1000 + 250);
  const second = { at: Date.now(), rows: await versionTable(connection, 'default', version.deploymentName) };
  narrator.say('Versions now:');
  for (const line of formatVersionTable(second.rows)) narrator.say(`  ${line}`);
  for (const line of retirementAdvice([first, second], version.deploymentName, VERSION_DRAINAGE_REFRESH_S.devServer))
    narrator.say(line);
}

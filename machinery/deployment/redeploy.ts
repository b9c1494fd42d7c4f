/**
 * `npm run redeploy`, step by step: build the package, check the build id may take it (redeploy-guard), upload and
 * publish a numbered version, register that version's ARN for the build id, make it current (or ramp it), then
 * report which versions still have orders open. The guard runs before anything is published or registered.
 */

import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ConnectionLike } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { isLambdaArchitecture, type LambdaArchitecture } from '../../config/lambda-architecture';
import { NO_ROLE, resolveInvocationRole } from './invocation-role';
import { deployLambda } from './lambda-deployment';
import { buildLambdaPackage } from './lambda-package';
import { registerLambda, validateTarget, type LambdaTarget, type RegistrationResult } from './lambda-registration';
import { PackageMismatchError, packageWorkflow } from './package-workflow';
import { checkBuildIdReuse, RedeployRefusedError, type GuardVerdict } from './redeploy-guard';
import { versionTable, type VersionRow } from './version-drainage';

export interface RedeployOptions {
  lambda: LambdaClient;
  connection: Pick<ConnectionLike, 'workflowService'>;
  namespace: string;
  functionName: string;
  /** Where the package is written; with `skipBuild`, the package to ship as it is. */
  zipFile: string;
  skipBuild?: boolean;
  /** Default: the function's own architecture (GetFunction); a different one is refused. */
  arch?: LambdaArchitecture;
  /** The role Temporal assumes to invoke; default: the one this build id, or the Current Version, has. */
  role?: Pick<LambdaTarget, 'roleArn' | 'externalId'>;
  /** The build's environment (SHOPFLOW_BUILD_ID, SHOPFLOW_DEPLOYMENT_NAME); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Ramp this share of new orders to the version instead of making it current. */
  rampPercent?: number;
  historiesDir?: string;
  identity: string;
  log: (line: string) => void;
}

export interface RedeployResult {
  version: WorkerDeploymentVersion;
  verdict: GuardVerdict;
  publishedArn: string;
  registration: RegistrationResult;
  ramped: boolean;
  versions: VersionRow[];
  /** Seconds per step: build, guard, publish, register, total. */
  seconds: Record<'build' | 'guard' | 'publish' | 'register' | 'total', number>;
}

/** The function's ARN and architecture (what AWS runs it on: the package must be built for it). */
async function functionOf(
  lambda: LambdaClient,
  functionName: string,
): Promise<{ functionArn: string; arch: LambdaArchitecture }> {
  try {
    const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const arch = Configuration?.Architectures?.[0] ?? 'x86_64'; // Lambda's default when none was chosen
    if (!isLambdaArchitecture(arch)) throw new RedeployRefusedError(`function ${functionName} runs on ${arch}`);
    return { functionArn: Configuration!.FunctionArn!, arch };
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    throw new RedeployRefusedError(
      `function ${functionName} does not exist: create it once with ` +
        `npm run deploy:lambda -- --function ${functionName} --create --role ARN`,
    );
  }
}

export async function redeploy(options: RedeployOptions): Promise<RedeployResult> {
  const { connection, namespace } = options;
  const started = Date.now();
  const lap = lapTimer(started);
  const { functionArn, arch } = await targetFunction(options);
  if (!options.skipBuild) await buildFor(options, arch);
  const build = lap();
  const { version, workflowBundleSha256, workflowBundleCode } = await readPackage(options, arch);
  const role = await invocationRole(options, version, functionArn);
  const verdict = await guardBuildId(options, version, functionArn, workflowBundleSha256, workflowBundleCode);
  const guard = lap();
  const publishedArn = await publishVersion(options);
  const publish = lap();
  const { registration, ramped } = await registerVersion(options, version, publishedArn, role);
  const register = lap();
  const versions = await versionTable(connection, namespace, version.deploymentName);
  return {
    version,
    verdict,
    publishedArn,
    registration,
    ramped,
    versions,
    seconds: { build, guard, publish, register, total: (Date.now() - started) / 1000 },
  };
}

/** Seconds since the previous call (the first: since `started`). */
function lapTimer(started: number): () => number {
  let last = started;
  return () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

/** The function to redeploy, refused when --arch asks for another architecture than it runs on. */
async function targetFunction(options: RedeployOptions): Promise<{ functionArn: string; arch: LambdaArchitecture }> {
  const target = await functionOf(options.lambda, options.functionName);
  const { arch } = target;
  if (options.arch && options.arch !== arch) {
    throw new RedeployRefusedError(
      `function ${options.functionName} runs on ${arch}, but --arch ${options.arch} was asked: a package for ` +
        `${options.arch} would fail at every invocation. Leave --arch out (the function's architecture is the ` +
        `default), or create a ${options.arch} function`,
    );
  }
  return target;
}

async function buildFor(options: RedeployOptions, arch: LambdaArchitecture): Promise<void> {
  const { log } = options;
  log(`Building the package for ${arch}, the function's architecture...`);
  await buildLambdaPackage({
    arch,
    includeCerts: false,
    outFile: options.zipFile,
    env: options.env,
    log: (l) => log(`  ${l.trim()}`),
  });
}

/** The package's version and workflow code, refused when it has no workflow hash or the wrong architecture. */
async function readPackage(options: RedeployOptions, arch: LambdaArchitecture) {
  // The bundle's hash is computed from the bundle in the zip; a build-info.json that disagrees refuses the package.
  const { info, bundle, workflowBundleSha256 } = await packageWorkflow(options.zipFile).catch((err: Error) => {
    throw err instanceof PackageMismatchError ? new RedeployRefusedError(err.message) : err;
  });
  if (!info?.workflowBundleSha256 || !bundle || !workflowBundleSha256) {
    throw new RedeployRefusedError(
      `${options.zipFile} has no workflow hash in build-info.json (built before redeploy existed): ` +
        'rebuild it with npm run build:lambda',
    );
  }
  if (info.architecture !== arch) {
    throw new RedeployRefusedError(
      `${options.zipFile} is built for ${info.architecture}, but function ${options.functionName} runs on ${arch}: ` +
        `rebuild it with npm run build:lambda -- --arch ${arch} (or leave out --skip-build)`,
    );
  }
  const version: WorkerDeploymentVersion = { deploymentName: info.deploymentName, buildId: info.buildId };
  return { version, workflowBundleSha256, workflowBundleCode: bundle.toString('utf8') };
}

/** The role Temporal assumes to invoke the version; refused when there is none. */
async function invocationRole(options: RedeployOptions, version: WorkerDeploymentVersion, functionArn: string) {
  const role = await resolveInvocationRole(options.connection, options.namespace, version, options.role ?? {});
  // Only the role is checked here (the version's ARN does not exist until it is published).
  validateTarget({ functionArn, ...role }, true);
  if (!role.roleArn) throw new RedeployRefusedError(NO_ROLE);
  options.log(`Invocation role ${role.roleArn} with its external id (from ${role.source})`);
  return { roleArn: role.roleArn, externalId: role.externalId };
}

/** The guard (redeploy-guard): may this build id take this workflow code? Throws when it may not. */
async function guardBuildId(
  options: RedeployOptions,
  version: WorkerDeploymentVersion,
  functionArn: string,
  workflowBundleSha256: string,
  workflowBundleCode: string,
): Promise<GuardVerdict> {
  options.log(
    `Checking build id ${version.buildId} (workflow sha256 ${workflowBundleSha256.slice(0, 12)}...) ` +
      'before publishing...',
  );
  const verdict = await checkBuildIdReuse({
    lambda: options.lambda,
    connection: options.connection,
    namespace: options.namespace,
    version,
    functionArn,
    workflowBundleSha256,
    workflowBundleCode,
    historiesDir: options.historiesDir,
  });
  options.log(`  ${describeVerdict(verdict, version.buildId)}`);
  return verdict;
}

/** Uploads the package and publishes a numbered version; returns its ARN. */
async function publishVersion(options: RedeployOptions): Promise<string> {
  const published = await deployLambda({
    client: options.lambda,
    functionName: options.functionName,
    zipFile: options.zipFile,
    publish: true,
    log: (l) => options.log(`  ${l}`),
  });
  const publishedArn = published.FunctionArn!;
  options.log(`Published ${publishedArn}`);
  return publishedArn;
}

/** Registers the published version for the build id, then makes it current or ramps it. */
async function registerVersion(
  options: RedeployOptions,
  version: WorkerDeploymentVersion,
  publishedArn: string,
  role: Pick<LambdaTarget, 'roleArn' | 'externalId'>,
): Promise<{ registration: RegistrationResult; ramped: boolean }> {
  const { connection, namespace, log } = options;
  const ramp = options.rampPercent;
  const registration = await registerLambda({
    connection,
    namespace,
    version,
    target: { functionArn: publishedArn, roleArn: role.roleArn, externalId: role.externalId },
    identity: options.identity,
    makeCurrent: ramp === undefined,
  });
  log(
    `Registered ${publishedArn} as ${version.deploymentName}/${version.buildId} (${registration.action})` +
      (registration.madeCurrent ? '; it is now the Current Version' : ''),
  );
  const ramped = ramp !== undefined && (await rampTo(connection, namespace, version, ramp, options.identity, log));
  return { registration, ramped };
}

function describeVerdict(verdict: GuardVerdict, buildId: string): string {
  switch (verdict.kind) {
    case 'new-build-id':
      return `${buildId} is a new build id: orders in flight stay on their own versions`;
    case 'no-lambda-yet':
      return `${buildId} exists on the server with no Lambda registered yet`;
    case 'same-workflow':
      return (
        `same workflow code as ${verdict.registeredArn}, and the ${verdict.historiesReplayed} recorded histories ` +
        `replay: ${buildId} may move`
      );
    case 'unknown-workflow-allowed':
      return `workflow code of ${verdict.registeredArn} unknown; allowed as asked`;
  }
}

/** Sends `percent` of new orders to the version; the current version keeps the rest. */
async function rampTo(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  version: WorkerDeploymentVersion,
  percent: number,
  identity: string,
  log: (line: string) => void,
): Promise<boolean> {
  const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
    namespace,
    deploymentName: version.deploymentName,
  });
  if (workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId === version.buildId) {
    log(`${version.buildId} is already the Current Version: nothing to ramp`);
    return false;
  }
  await connection.workflowService.setWorkerDeploymentRampingVersion({
    namespace,
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    percentage: percent,
    identity,
    ignoreMissingTaskQueues: true,
    allowNoPollers: true,
  });
  log(`Ramping ${percent}% of new orders to ${version.buildId}; the Current Version keeps the rest`);
  return true;
}

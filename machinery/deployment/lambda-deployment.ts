/**
 * Zip-and-upload deployment with the AWS SDK v3 Lambda client: UpdateFunctionCode on an existing function, or
 * CreateFunction with `create`, then (by default) PublishVersion, labelled with the package's build id and workflow
 * hash so a later redeploy can tell what the version runs. Honours AWS_ENDPOINT_URL, so the same code deploys to
 * AWS or to the local Lambda service.
 */

import fs from 'node:fs';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type Runtime,
} from '@aws-sdk/client-lambda';
import {
  LAMBDA_MINIMUM_TIMEOUT_S,
  LAMBDA_RECOMMENDED_TIMEOUT_S,
  LONGEST_ACTIVITY_START_TO_CLOSE_MS,
} from '../../config/settings';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { checkPackagedProfile } from './packaged-profile';
import { packageWorkflow } from './package-workflow';
import { versionDescription } from './version-label';
import { localCredentialsFor } from '../lambda-local/local-aws-clients';

export interface CreateSettings {
  roleArn: string;
  architecture: LambdaArchitecture;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  /** The function's runtime; default LAMBDA_RUNTIME (the bench tries another with --lambda-runtime). */
  runtime?: string;
}

export interface DeployOptions {
  client: LambdaClient;
  functionName: string;
  zipFile: string;
  /** Publish a numbered version after the upload (what Temporal should run); false leaves only $LATEST changed. */
  publish: boolean;
  /** Create the function when it does not exist (otherwise that is an error). */
  create?: CreateSettings;
  log: (line: string) => void;
}

/** Timeout guidance from Temporal's Go demo: longest activity start-to-close + 7 s shutdown buffer, at least 60 s. */
/** The Lambda runtime functions are created with; the local environments run its Node (machinery/plumbing/runtime-node.ts). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

export function timeoutWarning(timeoutSeconds: number): string | undefined {
  if (timeoutSeconds >= LAMBDA_RECOMMENDED_TIMEOUT_S) return undefined;
  return (
    `the function timeout is ${timeoutSeconds} s; ShopFlow's longest activity may run ${LONGEST_ACTIVITY_START_TO_CLOSE_MS / 1000} s and the ` +
    `worker needs 7 s to shut down, so use at least ${LAMBDA_RECOMMENDED_TIMEOUT_S} s (never under ${LAMBDA_MINIMUM_TIMEOUT_S} s)`
  );
}

export function lambdaClient(env: NodeJS.ProcessEnv = process.env): LambdaClient {
  // The SDK reads AWS_ENDPOINT_URL, AWS_REGION and the usual credential chain by itself (the local service: its keys).
  const credentials = localCredentialsFor(env);
  return new LambdaClient({ region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION, ...(credentials && { credentials }) });
}

async function existing(client: LambdaClient, functionName: string): Promise<FunctionConfiguration | undefined> {
  try {
    return (await client.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration;
  } catch (err) {
    if (err instanceof ResourceNotFoundException || (err as Error).name === 'ResourceNotFoundException')
      return undefined;
    throw err;
  }
}

export async function deployLambda(options: DeployOptions): Promise<FunctionConfiguration> {
  const { client, functionName, log } = options;
  if (!fs.existsSync(options.zipFile)) {
    throw new Error(`${options.zipFile} does not exist: build it first with \`npm run build:lambda\``);
  }
  const zip = fs.readFileSync(options.zipFile);
  const current = await existing(client, functionName);
  await checkPackagedProfile(options.zipFile, options.create?.environment ?? current?.Environment?.Variables ?? {});
  let result: FunctionConfiguration;
  if (!current) {
    if (!options.create) {
      throw new Error(
        `function ${functionName} does not exist: pass --create (with --role) to create it, or check the name and AWS_REGION`,
      );
    }
    const settings = options.create;
    const warning = timeoutWarning(settings.timeoutSeconds);
    if (warning) log(`Warning: ${warning}`);
    log(
      `Creating ${functionName} (${settings.architecture}, ${settings.memoryMb} MB, timeout ${settings.timeoutSeconds} s) from ${options.zipFile}...`,
    );
    result = await client.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: (settings.runtime ?? LAMBDA_RUNTIME) as Runtime,
        Role: settings.roleArn,
        Handler: 'index.handler',
        Architectures: [settings.architecture],
        Timeout: settings.timeoutSeconds,
        MemorySize: settings.memoryMb,
        Environment: { Variables: settings.environment },
        Code: { ZipFile: zip },
      }),
    );
    // A new function is Pending until Lambda has set it up; Invoke and PublishVersion fail until it is Active.
    log('Waiting for the function to be Active...');
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 300 }, { FunctionName: functionName });
  } else {
    const warning = timeoutWarning(current.Timeout ?? 0);
    if (warning) log(`Warning: ${warning}`);
    log(`Uploading ${options.zipFile} (${(zip.length / 1024 / 1024).toFixed(1)} MB) to ${functionName}...`);
    result = await client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip }));
    if (options.create) {
      // --create on an existing function: bring its configuration in line too.
      await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 300 }, { FunctionName: functionName });
      result = await client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionName,
          Timeout: options.create.timeoutSeconds,
          MemorySize: options.create.memoryMb,
          Environment: { Variables: options.create.environment },
        }),
      );
    }
  }
  log('Waiting for the update to finish...');
  await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 300 }, { FunctionName: functionName });
  if (!options.publish) return result;
  // The label names the workflow bundle the zip really holds: packageWorkflow refuses a build-info.json that lies.
  const { info } = await packageWorkflow(options.zipFile);
  const description = info?.workflowBundleSha256 ? versionDescription(info) : '';
  log(
    description
      ? `Publishing a version of build ${info?.buildId}: "${description.slice(0, 60)}..."`
      : 'Publishing an unlabelled version...',
  );
  // Packages built before build-info.json had hashes publish unlabelled; the guard then refuses to reuse their build id.
  // CodeSha256: publish exactly what was just uploaded, never someone else's upload that landed in between.
  return client.send(
    new PublishVersionCommand({ FunctionName: functionName, Description: description, CodeSha256: result.CodeSha256 }),
  );
}

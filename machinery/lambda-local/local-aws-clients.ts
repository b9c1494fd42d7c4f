/**
 * AWS SDK clients (and child-process environments) for the LOCAL services: the local Lambda service (Lambda,
 * CloudWatch and STS APIs) and moto (DynamoDB, Secrets Manager, IAM). The one place that knows their convention:
 * the endpoint given, the local region, and whose keys sign:
 * - the developer's (scripts, tests, the console): the local account's administrator;
 * - the worker controller's (the dev server): it may only assume the invocation role, as on Temporal Cloud;
 * - placeholders for what only moto reads (a local worker's DynamoDB ledger): moto checks no signature, and the
 *   local Lambda service does not know them. A Lambda function gets only the endpoint (localFunctionEnvironment):
 *   its region and credentials are its execution role's, given by the local Lambda service as Lambda does.
 * Clients of real AWS never come here: they use the SDK's usual chain (environment, profile, the Lambda role).
 */

import { LOCAL_USERS, localAccountKeys } from './local-account';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

import { localInvocationRole } from './local-roles';

export { localInvocationRole };

/** The region of every local service (the ARNs of the local Lambda service name it). */
export const LOCAL_AWS_REGION = LOCAL_LAMBDA_DEFAULTS.region;

/** Placeholder credentials for moto alone (it checks no signature); the local Lambda service refuses them. */
export const MOTO_CREDENTIALS = { accessKeyId: 'shopflow-moto', secretAccessKey: 'shopflow-moto' };

/** The developer's keys: what scripts, tests and the console sign local requests with. */
export function localDeveloperCredentials(): { accessKeyId: string; secretAccessKey: string } {
  const { accessKeyId, secretAccessKey } = localAccountKeys().developer;
  return { accessKeyId, secretAccessKey };
}

export { LOCAL_USERS };

export interface LocalAwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A client of any AWS SDK v3 service at a local endpoint, signed with the developer's keys, e.g.
 * `localAwsClient(LambdaClient, lambda.endpoint)`; `settings` adds client settings such as `{ maxAttempts: 1 }` (or
 * another region: moto keeps tables per region).
 */
export function localAwsClient<Client, Settings extends object = object>(
  ClientClass: new (config: LocalAwsClientConfig & Settings) => Client,
  endpoint: string,
  settings?: Settings,
): Client {
  return new ClientClass({
    endpoint,
    region: LOCAL_AWS_REGION,
    credentials: localDeveloperCredentials(),
    ...(settings as Settings),
  });
}

/** Cleared in every local child: a profile or session token of the user's real AWS must not sign local calls. */
const REAL_AWS_VARIABLES = { AWS_PROFILE: '', AWS_SESSION_TOKEN: '', AWS_DEFAULT_PROFILE: '' };

/**
 * The variables that point a child process's AWS SDK at a local endpoint: for every service, signed with the
 * developer's keys; or with `service` for that one only (e.g. `DYNAMODB`: AWS_ENDPOINT_URL_DYNAMODB), with moto's
 * placeholders (what a Lambda function's ledger gets).
 */
export function localAwsEnvironment(endpoint: string, service?: 'DYNAMODB'): Record<string, string> {
  const keys = service ? MOTO_CREDENTIALS : localDeveloperCredentials();
  return {
    [service ? `AWS_ENDPOINT_URL_${service}` : 'AWS_ENDPOINT_URL']: endpoint,
    AWS_REGION: LOCAL_AWS_REGION,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(service ? {} : REAL_AWS_VARIABLES),
  };
}

/**
 * What a Lambda function's own configuration carries to reach a local service: its endpoint alone
 * (AWS_ENDPOINT_URL_DYNAMODB, not reserved). Lambda refuses AWS_REGION and credentials among a function's variables
 * (reserved keys): the local Lambda service, as Lambda does, gives each environment its region and the execution
 * role's temporary credentials, which moto accepts (it checks no signature).
 */
export function localFunctionEnvironment(endpoint: string, service: 'DYNAMODB'): Record<string, string> {
  return { [`AWS_ENDPOINT_URL_${service}`]: endpoint };
}

/**
 * The dev server's environment, so its worker controller (AWS SDK for Go v2) calls STS and Lambda at the local
 * service, signed with the worker controller's keys: it can only assume the function's invocation role.
 */
export function workerControllerEnvironment(endpoint: string): Record<string, string> {
  const { accessKeyId, secretAccessKey } = localAccountKeys().workerController;
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: LOCAL_AWS_REGION,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...REAL_AWS_VARIABLES,
  };
}

/**
 * A registration target on the local stack: the function's ARN with its invocation role and the account's external
 * id, which the dev server's worker controller requires as Temporal Cloud does.
 */
export function localLambdaTarget(functionArn: string): { functionArn: string; roleArn: string; externalId: string } {
  const functionName = functionArn.split(':')[6] ?? functionArn;
  return { functionArn, ...localInvocationRole(functionName) };
}

/**
 * For the scripts that take the SDK's usual chain (deploy:lambda, register:lambda, redeploy, metrics): when
 * AWS_ENDPOINT_URL names a service on this machine and no keys are set, the developer's local keys, so
 * `AWS_ENDPOINT_URL=http://127.0.0.1:9001 npm run deploy:lambda ...` signs as the local account expects. Otherwise
 * undefined: the SDK's chain (environment, profile, role) as against AWS.
 */
export function localCredentialsFor(
  env: NodeJS.ProcessEnv = process.env,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  const endpoint = env.AWS_ENDPOINT_URL;
  if (!endpoint || env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE) return undefined;
  const host = URL.canParse(endpoint) ? new URL(endpoint).hostname : '';
  return host === '127.0.0.1' || host === 'localhost' ? localDeveloperCredentials() : undefined;
}

/**
 * AWS SDK clients (and child-process environments) for the LOCAL services: the local Lambda service (Lambda and
 * CloudWatch APIs) and moto (DynamoDB). The one place that knows their convention: the endpoint given, the local
 * region and placeholder credentials (requests are signed; the local services do not check them). Clients of real
 * AWS never come here: they use the SDK's usual chain (environment, profile, the Lambda role).
 */

import { LOCAL_LAMBDA_DEFAULTS } from '../lambda-local/settings';

/** The region of every local service (the ARNs of the local Lambda service name it). */
export const LOCAL_AWS_REGION = LOCAL_LAMBDA_DEFAULTS.region;

/** Placeholder credentials for the local services; never real ones. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'shopflow-local', secretAccessKey: 'shopflow-local' };

export interface LocalAwsClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A client of any AWS SDK v3 service at a local endpoint, e.g. `localAwsClient(LambdaClient, lambda.endpoint)`;
 * `settings` adds client settings such as `{ maxAttempts: 1 }` (or another region: moto keeps tables per region).
 */
export function localAwsClient<Client, Settings extends object = object>(
  ClientClass: new (config: LocalAwsClientConfig & Settings) => Client,
  endpoint: string,
  settings?: Settings,
): Client {
  return new ClientClass({
    endpoint,
    region: LOCAL_AWS_REGION,
    credentials: LOCAL_AWS_CREDENTIALS,
    ...(settings as Settings),
  });
}

/**
 * The variables that point a child process's AWS SDK (or the dev server's worker controller, AWS SDK for Go v2) at a
 * local endpoint: for every service, or with `service` for that one only (e.g. `DYNAMODB`: AWS_ENDPOINT_URL_DYNAMODB).
 */
export function localAwsEnvironment(endpoint: string, service?: 'DYNAMODB'): Record<string, string> {
  return {
    [service ? `AWS_ENDPOINT_URL_${service}` : 'AWS_ENDPOINT_URL']: endpoint,
    AWS_REGION: LOCAL_AWS_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS_CREDENTIALS.secretAccessKey,
  };
}

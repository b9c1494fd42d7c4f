/**
 * The Temporal API key, read from AWS Secrets Manager when an execution environment starts, not frozen into the
 * function's configuration: every published version keeps its configuration for good, so a key written there would
 * strand the orders pinned to older versions once it is rotated. Here a rotation reaches every new environment.
 */

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class ApiKeySecretError extends Error {}

/** Reads the secret's string; `client` is for tests (moto), by default the SDK's usual chain (the function's role). */
export async function readApiKeySecret(secretId: string, client = new SecretsManagerClient({})): Promise<string> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const key = SecretString?.trim();
    if (!key) throw new ApiKeySecretError(`secret ${secretId} has no string value: store the API key as plain text`);
    return key;
  } catch (err) {
    if (err instanceof ApiKeySecretError) throw err;
    const name = (err as Error).name;
    const fix =
      name === 'AccessDeniedException'
        ? "give the function's execution role secretsmanager:GetSecretValue on it (infra/iam-roles.json's ApiKeySecretArn)"
        : name === 'ResourceNotFoundException'
          ? "create it (aws secretsmanager create-secret --name <name> --secret-string ...) in the function's region, or fix TEMPORAL_API_KEY_SECRET"
          : 'check the secret and the network';
    throw new ApiKeySecretError(`could not read the Temporal API key from secret ${secretId} (${name}): ${fix}`);
  }
}

/** The Lambda reads the Temporal API key from Secrets Manager (moto's server, through the real AWS SDK). */

import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readApiKeySecret } from '../../lambda/api-key-secret';
import { localAwsClient } from '../../machinery/lambda-local/local-aws-clients';
import { ledgerServer, stopLedgerServer } from '../support/ledger-server';
import { uniqueName } from '../support/test-worker';

let client: SecretsManagerClient;
beforeAll(async () => {
  client = localAwsClient(SecretsManagerClient, (await ledgerServer()).endpoint, { maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await stopLedgerServer();
});

test('a stored key is read by name', async () => {
  const name = uniqueName('shopflow/temporal-api-key');
  await client.send(new CreateSecretCommand({ Name: name, SecretString: 'sk-rotatable\n' }));
  expect(await readApiKeySecret(name, client)).toBe('sk-rotatable');
});

test('a missing secret says how to create it, and names no value', async () => {
  const name = uniqueName('shopflow/absent');
  await expect(readApiKeySecret(name, client)).rejects.toThrow(
    `could not read the Temporal API key from secret ${name} (ResourceNotFoundException): create it ` +
      "(aws secretsmanager create-secret --name <name> --secret-string ...) in the function's region, or fix " +
      'TEMPORAL_API_KEY_SECRET',
  );
});

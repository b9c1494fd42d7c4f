/** The local account's keys (made once per user, private) and which scripts sign with them. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localCredentialsFor, localDeveloperCredentials } from '../../machinery/lambda-local/local-aws-clients';
import { localAccountKeys } from '../../machinery/lambda-local/local-account';

test('the keys are made on first use, readable by this user only, and the same for every later reader', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')), 'local-aws', 'keys.json');
  const first = localAccountKeys(file);
  expect(first.developer.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16,}$/);
  expect(first.workerController.accessKeyId).not.toBe(first.developer.accessKeyId);
  expect(first.externalId).toMatch(/^[a-zA-Z0-9_+=,.@-]{5,45}$/);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  expect(localAccountKeys(file)).toEqual(first);
  // Two files, two accounts: nothing is a constant of the repository.
  const other = localAccountKeys(path.join(path.dirname(file), 'other.json'));
  expect(other.developer.secretAccessKey).not.toBe(first.developer.secretAccessKey);
});

test('a file that is not a set of keys is refused with the fix', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keys-')), 'keys.json');
  fs.writeFileSync(file, '{"developer":{}}');
  expect(() => localAccountKeys(file)).toThrow(
    `${file} is not a set of local keys: delete it, and the next start makes a new one`,
  );
});

test.each<[string, NodeJS.ProcessEnv, boolean]>([
  ['the local service, no keys set', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9001' }, true],
  ['localhost, no keys set', { AWS_ENDPOINT_URL: 'http://localhost:9001' }, true],
  ['the local service, but keys set', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9001', AWS_ACCESS_KEY_ID: 'AKIA1' }, false],
  ['the local service, but a profile named', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9001', AWS_PROFILE: 'dev' }, false],
  ['another host', { AWS_ENDPOINT_URL: 'https://lambda.us-east-1.amazonaws.com' }, false],
  ['no endpoint (real AWS)', {}, false],
])('scripts sign with the local keys for %s: %s', (_name, env, local) => {
  expect(localCredentialsFor(env)).toEqual(local ? localDeveloperCredentials() : undefined);
});

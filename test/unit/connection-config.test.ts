/** temporal.toml and TEMPORAL_* problems are reported with the fix, and secrets never reach the summary. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConnectionConfig } from '../../config/connection';
import { loadShopFlowEnvironment, resolveBuildId } from '../../config/environment';
import { LAMBDA_EMPTY_CACHE_EXIT_MS } from '../../config/settings';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
});

function writeToml(content: string): string {
  const file = path.join(dir, 'temporal.toml');
  fs.writeFileSync(file, content);
  return file;
}

test('the project temporal.toml default profile points at the local dev server', () => {
  const config = loadConnectionConfig({}, path.resolve(__dirname, '../..'));
  expect(config.connectionOptions.address).toBe('127.0.0.1:7233');
  expect(config.namespace).toBe('default');
  expect(config.summary).toContain('no auth');
});

test('TEMPORAL_* variables override the profile', () => {
  writeToml('[profile.default]\naddress = "a:1"\nnamespace = "n"\n');
  const config = loadConnectionConfig({ TEMPORAL_ADDRESS: 'b:2', TEMPORAL_NAMESPACE: 'm' }, dir);
  expect(config.connectionOptions.address).toBe('b:2');
  expect(config.namespace).toBe('m');
});

test('with no file at all, the environment alone is used', () => {
  expect(loadConnectionConfig({}, dir).connectionOptions.address).toBe('127.0.0.1:7233');
});

// Every configuration problem (missing file, unknown profile, missing certificate, bad TOML, placeholders, Cloud
// without credentials, ...) and its exact message: the table in test/bad-input/connection-config.test.ts.

test('an API key is used but never shown in the summary', () => {
  writeToml('[profile.cloud]\naddress = "us-east-1.aws.api.temporal.io:7233"\nnamespace = "n.a"\n');
  const config = loadConnectionConfig({ TEMPORAL_PROFILE: 'cloud', TEMPORAL_API_KEY: 'sk-very-secret' }, dir);
  expect(config.connectionOptions.apiKey).toBe('sk-very-secret');
  expect(config.connectionOptions.tls).toBe(true);
  expect(config.summary).not.toContain('sk-very-secret');
  expect(config.summary).toContain('API key (hidden)');
});

test('SHOPFLOW_* settings are validated', () => {
  expect(resolveBuildId({})).toBe('v2');
  expect(resolveBuildId({ SHOPFLOW_BUILD_ID: '2026.11.22-a' })).toBe('2026.11.22-a');
  expect(() => resolveBuildId({ SHOPFLOW_BUILD_ID: 'has space' })).toThrow(
    /SHOPFLOW_BUILD_ID "has space" is not a valid build id/,
  );
  expect(() => loadShopFlowEnvironment({ SHOPFLOW_LATENCY_SCALE: 'fast' })).toThrow(
    /SHOPFLOW_LATENCY_SCALE "fast" must be a number/,
  );
  expect(loadShopFlowEnvironment({ LAMBDA_TASK_ROOT: '/var/task' }).journalPath).toBe('/tmp/shopflow/journal.jsonl');
});

test('the cache-empty exit is LAMBDA_EMPTY_CACHE_EXIT_MS unless SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS says otherwise', () => {
  expect(loadShopFlowEnvironment({}).lambdaEmptyCacheExitMs).toBe(LAMBDA_EMPTY_CACHE_EXIT_MS);
  expect(loadShopFlowEnvironment({ SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS: '0' }).lambdaEmptyCacheExitMs).toBe(0);
  expect(loadShopFlowEnvironment({ SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS: ' 750 ' }).lambdaEmptyCacheExitMs).toBe(750);
  expect(() => loadShopFlowEnvironment({ SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS: '0.3s' })).toThrow(
    'SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS "0.3s" must be a whole number of milliseconds (0 turns the cache-empty exit off)',
  );
});

test('a Lambda whose key comes from the secret store (TEMPORAL_API_KEY_SECRET) may point at Temporal Cloud without one yet', () => {
  const env = {
    TEMPORAL_PROFILE: '',
    TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
    TEMPORAL_NAMESPACE: 'shop.a1b2c',
  };
  // From a folder without temporal.toml: only the environment counts.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'no-toml-'));
  expect(() => loadConnectionConfig(env, cwd)).toThrow('points at Temporal Cloud');
  const config = loadConnectionConfig({ ...env, TEMPORAL_API_KEY_SECRET: 'shopflow/temporal-api-key' }, cwd);
  expect(config.connectionOptions.address).toBe('us-east-1.aws.api.temporal.io:7233');
  expect(config.connectionOptions.apiKey).toBeUndefined();
});

/**
 * temporal.toml and TEMPORAL_* problems: the complete table. Each row is the exact ConfigError a person reads;
 * rows marked `process` also run the real starter, which prints it and exits 1 before connecting anywhere.
 * What works (overrides, the project's own file, a hidden API key) is in test/unit/connection-config.test.ts.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../config/config-error';
import { loadConnectionConfig } from '../../config/connection';
import { ROOT } from '../support/processes';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-bad-'));
  file = path.join(dir, 'temporal.toml');
});

const toml = (content: string) => fs.writeFileSync(file, content);
const touch = (name: string) => (fs.writeFileSync(path.join(dir, name), 'x'), path.join(dir, name));
const tlsProfile = (tls: string) => toml(`[profile.default]\naddress = "a:1"\n[profile.default.tls]\n${tls}\n`);

/** [the problem, set-up returning the environment, the message (given the folder and file), run the starter too]. */
const ROWS: [string, () => NodeJS.ProcessEnv, () => string, boolean][] = [
  [
    'TEMPORAL_CONFIG_FILE names a missing file',
    () => ({ TEMPORAL_CONFIG_FILE: path.join(dir, 'nope.toml') }),
    () => `TEMPORAL_CONFIG_FILE points to ${dir}/nope.toml, which does not exist: fix the path or unset it`,
    true,
  ],
  [
    'TEMPORAL_PROFILE with no temporal.toml at all',
    () => ({ TEMPORAL_PROFILE: 'cloud' }),
    () =>
      `TEMPORAL_PROFILE "cloud" is set but there is no temporal.toml in ${dir}: run from the project folder, set TEMPORAL_CONFIG_FILE, or unset TEMPORAL_PROFILE`,
    true,
  ],
  [
    'an unknown profile',
    () => (
      toml('[profile.default]\naddress = "a:1"\n[profile.cloud]\naddress = "b:2"\n'),
      { TEMPORAL_PROFILE: 'staging' }
    ),
    () =>
      `TEMPORAL_PROFILE "staging" is not a profile in ${file} (profiles: default, cloud): pick one of those or add [profile.staging]`,
    true,
  ],
  [
    'a profile asked of an empty file',
    () => (toml(''), { TEMPORAL_PROFILE: 'cloud' }),
    () =>
      `TEMPORAL_PROFILE "cloud" is not a profile in ${file} (profiles: none): pick one of those or add [profile.cloud]`,
    false,
  ],
  [
    'malformed TOML',
    () => (toml('[profile.default\naddress = '), {}),
    () => `${file} is not valid TOML: Invalid TOML document: illegal character in key`,
    true,
  ],
  [
    'a misspelt key',
    () => (toml('[profile.default]\naddress = "a:1"\napikey = "k"\n'), {}),
    () =>
      `${file}: key(s) unrecognized in profile.default: apikey: fix the spelling or remove them (a profile takes address, namespace, api_key, tls, codec, grpc_meta)`,
    false,
  ],
  [
    'a misspelt TLS key',
    () => (tlsProfile('client_cert = "c.pem"'), {}),
    () =>
      `${file}: key(s) unrecognized in profile.default.tls: client_cert: fix the spelling or remove them (a profile takes address, namespace, api_key, tls, codec, grpc_meta)`,
    false,
  ],
  [
    'a missing client certificate',
    () => (tlsProfile(`client_cert_path = "${dir}/c.pem"\nclient_key_path = "${dir}/c.key"`), {}),
    () =>
      `client_cert_path = "${dir}/c.pem" (profile "default" in ${file}) does not exist: put the file there or fix the path`,
    true,
  ],
  [
    'a missing client key',
    () => (tlsProfile(`client_cert_path = "${touch('c.pem')}"\nclient_key_path = "${dir}/c.key"`), {}),
    () =>
      `client_key_path = "${dir}/c.key" (profile "default" in ${file}) does not exist: put the file there or fix the path`,
    false,
  ],
  [
    'a missing server CA certificate',
    () => (tlsProfile(`server_ca_cert_path = "${dir}/ca.pem"`), {}),
    () =>
      `server_ca_cert_path = "${dir}/ca.pem" (profile "default" in ${file}) does not exist: put the file there or fix the path`,
    false,
  ],
  [
    'a missing certificate named by the environment',
    () => (
      toml('[profile.default]\naddress = "a:1"\n'),
      { TEMPORAL_TLS_CLIENT_CERT_PATH: `${dir}/env.pem`, TEMPORAL_TLS_CLIENT_KEY_PATH: `${dir}/env.key` }
    ),
    () =>
      `TEMPORAL_TLS_CLIENT_CERT_PATH = "${dir}/env.pem" (environment) does not exist: put the file there or fix the path`,
    false,
  ],
  [
    'a certificate without its key',
    () => (tlsProfile(`client_cert_path = "${touch('c.pem')}"`), {}),
    () => 'profile "default" has a client certificate without its key (or a key without its certificate): set both',
    false,
  ],
  [
    'a placeholder address',
    () => (
      toml('[profile.cloud]\naddress = "<ns>.<account>.tmprl.cloud:7233"\nnamespace = "<ns>.<account>"\n'),
      { TEMPORAL_PROFILE: 'cloud' }
    ),
    () =>
      `profile "cloud" still has a placeholder address or namespace (address <ns>.<account>.tmprl.cloud:7233, namespace <ns>.<account>): edit ${file} or set TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE`,
    true,
  ],
  [
    'a placeholder namespace',
    () => (toml('[profile.default]\naddress = "a:1"\nnamespace = "<namespace>"\n'), {}),
    () =>
      `profile "default" still has a placeholder address or namespace (address a:1, namespace <namespace>): edit ${file} or set TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE`,
    false,
  ],
  [
    'a Temporal Cloud API address without credentials',
    () => (
      toml('[profile.cloud]\naddress = "us-east-1.aws.api.temporal.io:7233"\nnamespace = "n.a"\n'),
      { TEMPORAL_PROFILE: 'cloud' }
    ),
    () =>
      'profile "cloud" points at Temporal Cloud (us-east-1.aws.api.temporal.io:7233) but has no credentials: set TEMPORAL_API_KEY (for example in .env) or client_cert_path and client_key_path',
    true,
  ],
  [
    'a Temporal Cloud mTLS address without credentials',
    () => (toml('[profile.default]\naddress = "n.a.tmprl.cloud:7233"\nnamespace = "n.a"\n'), {}),
    () =>
      'profile "default" points at Temporal Cloud (n.a.tmprl.cloud:7233) but has no credentials: set TEMPORAL_API_KEY (for example in .env) or client_cert_path and client_key_path',
    false,
  ],
];

/** The real starter, from the folder under test, so it finds (or misses) that folder's temporal.toml. */
function runStarter(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  return new Promise((resolve) =>
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'starter/main.ts'), '--no-wait'],
      { cwd: dir, env: { ...clean, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    ),
  );
}

test.each(ROWS)('%s', async (_name, setup, message, viaProcess) => {
  const env = setup();
  expect(() => loadConnectionConfig(env, dir)).toThrow(new ConfigError(message()));
  if (!viaProcess) return;
  const run = await runStarter(env);
  expect(run).toEqual({ code: 1, stdout: '', stderr: `starter: ${message()}\n` });
});

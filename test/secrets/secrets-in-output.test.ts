/**
 * An API key or a private key set in the configuration never appears in what people see: the real worker's and
 * starter's output (when they work, and when the connection fails and errors print), the getStatus query, and
 * configuration errors. The dev server ignores an API key, so with TLS off the processes run normally with one set.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { orderWorkflowId } from '../../config/settings';
import { getStatusQuery } from '../../workflows/definitions';
import { ROOT, startEntryPoint } from '../support/processes';
import { createScratchNamespace } from '../support/scratch-namespace';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';
import { WORKER_READY_TEXT } from '../../worker/readiness';

const WORKER_READY = new RegExp(WORKER_READY_TEXT);

const ENV_KEY = 'sk-ENV-4f1c9e2a7b3d-never-print-me';
const TOML_KEY = 'sk-TOML-8d2e6a1f5c9b-never-print-me';
const PRIVATE_KEY_MARKER = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7-never-print-me';
const SECRETS = [ENV_KEY, TOML_KEY, PRIVATE_KEY_MARKER];

let dir: string;
let namespace: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'secrets-'));
  // Its own namespace: the worker below runs deployment shopflow/v2 on shopflow-orders like `npm run worker` does.
  namespace = await createScratchNamespace('secrets');
});

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  // Not even a recognisable part of one.
  expect(text).not.toMatch(/never-print-me|4f1c9e2a7b3d|8d2e6a1f5c9b/);
}

/** Environment for the project's processes: only what the test sets, no TEMPORAL_* of this shell. */
function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  return { ...clean, SHOPFLOW_DATA_DIR: path.join(dir, 'data'), SHOPFLOW_LATENCY_SCALE: '0', ...extra };
}

function runStarter(args: string[], extra: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['starter/main.ts', ...args],
      { cwd: ROOT, env: env(extra) },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, output: `${stdout}${stderr}` }),
    ),
  );
}

function writeFile(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('a worker with api_key in its temporal.toml profile and a starter with TEMPORAL_API_KEY run an order; no key is shown', async () => {
  const toml = writeFile(
    'with-key.toml',
    `[profile.default]\naddress = "${testEnv('address')}"\nnamespace = "${namespace}"\napi_key = "${TOML_KEY}"\n[profile.default.tls]\ndisabled = true\n`,
  );
  const worker = startEntryPoint('worker/main.ts', [], env({ TEMPORAL_CONFIG_FILE: toml }));
  try {
    await worker.waitFor(WORKER_READY);
    expect(worker.output()).toContain(
      `Temporal:   ${testEnv('address')}, namespace ${namespace}, profile default (API key (hidden))`,
    );

    const orderId = uniqueName('secret');
    const starter = await runStarter(['--order-id', orderId], {
      TEMPORAL_ADDRESS: testEnv('address'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_API_KEY: ENV_KEY,
      TEMPORAL_TLS: 'false',
    });
    expect(starter.output).toContain('(API key (hidden))');
    expect(starter.output).toMatch(/COMPLETED \(as the scenario expects\)/);
    expect(starter.code).toBe(0);
    expectNoSecret(starter.output);

    const client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace });
    try {
      const status = await client.workflow.getHandle(orderWorkflowId(orderId)).query(getStatusQuery);
      expect(status.state).toBe('COMPLETED');
      expectNoSecret(JSON.stringify(status));
    } finally {
      await client.connection.close();
    }
  } finally {
    worker.child.kill('SIGINT');
    await worker.exited;
  }
  expectNoSecret(worker.output());
  expectNoSecret(fs.readFileSync(path.join(dir, 'data', 'journal.jsonl'), 'utf8'));
});

const certificate = () =>
  writeFile('client.pem', '-----BEGIN CERTIFICATE-----\nnot-a-real-certificate\n-----END CERTIFICATE-----\n');
const privateKey = () =>
  writeFile('client.key', `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY_MARKER}\n-----END PRIVATE KEY-----\n`);

/** [what is configured, the environment, what the user reads instead]. */
const FAILURES: [string, () => NodeJS.ProcessEnv, RegExp][] = [
  [
    'TEMPORAL_API_KEY, TLS on against a plaintext server',
    () => ({ TEMPORAL_ADDRESS: testEnv('address'), TEMPORAL_API_KEY: ENV_KEY }),
    /^starter: Cannot connect to Temporal at 127\.0\.0\.1:\d+, namespace default, profile default \(API key \(hidden\)\): /m,
  ],
  [
    'api_key in a profile, TLS on against a plaintext server',
    () => ({
      TEMPORAL_CONFIG_FILE: writeFile(
        'tls-key.toml',
        `[profile.default]\naddress = "${testEnv('address')}"\napi_key = "${TOML_KEY}"\n`,
      ),
    }),
    /^starter: Cannot connect to Temporal at 127\.0\.0\.1:\d+, namespace default, profile default \(API key \(hidden\)\): /m,
  ],
  [
    'a client key file that is not a valid key',
    () => ({
      TEMPORAL_ADDRESS: testEnv('address'),
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificate(),
      TEMPORAL_TLS_CLIENT_KEY_PATH: privateKey(),
    }),
    /^starter: Cannot connect to Temporal at 127\.0\.0\.1:\d+, namespace default, profile default \(mTLS client certificate\): /m,
  ],
  [
    'an unterminated api_key in a malformed temporal.toml',
    () => ({
      TEMPORAL_CONFIG_FILE: writeFile('broken.toml', `[profile.default]\napi_key = "${TOML_KEY}\naddress = "x:1"\n`),
    }),
    /^starter: .*broken\.toml is not valid TOML: Invalid TOML document: control characters are not allowed in strings$/m,
  ],
  [
    'a misspelt key next to an api_key',
    () => ({
      TEMPORAL_CONFIG_FILE: writeFile('typo.toml', `[profile.default]\napi_key = "${TOML_KEY}"\nadress = "x:1"\n`),
    }),
    /^starter: .*typo\.toml: key\(s\) unrecognized in profile\.default: adress: fix the spelling/m,
  ],
];

test.each(FAILURES)('%s: the starter fails with a readable error and no secret', async (_name, setup, message) => {
  const run = await runStarter(['--no-wait'], setup());
  expect(run.code).toBe(1);
  expect(run.output).toMatch(message);
  expectNoSecret(run.output);
});

test('the worker with a key and a connection that fails prints no key', async () => {
  const worker = startEntryPoint(
    'worker/main.ts',
    [],
    env({ TEMPORAL_ADDRESS: testEnv('address'), TEMPORAL_API_KEY: ENV_KEY }),
  );
  const { code } = await worker.exited;
  expect(code).toBe(1);
  expect(worker.output()).toMatch(/Worker failed: Cannot connect to Temporal at .*\(API key \(hidden\)\)/);
  expectNoSecret(worker.output());
});

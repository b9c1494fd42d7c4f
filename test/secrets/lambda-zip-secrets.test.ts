/**
 * The Lambda zip never carries a secret silently. A temporary copy of the project (its node_modules linked) gets a
 * .env with an API key, a private key file where the cloud-mtls profile points, and an api_key written into
 * temporal.toml; then the real `npm run build:lambda` runs in it:
 * - with the inline api_key it refuses, naming the file and the fix, and writes no zip;
 * - without it, the zip has no .env, no key file and none of the secrets in any byte, packed or unpacked;
 * - --include-certs is the explicit override: the key file and the inline api_key go in, and the build says so.
 * The build's own output never shows a secret.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { extractZip, listZip } from '../../machinery/plumbing/zip';
import { ROOT } from '../support/processes';
import { testEnv } from '../support/test-env';

const DOTENV_KEY = 'sk-DOTENV-0b7e3c91-never-ship-me';
const SHELL_KEY = 'sk-SHELL-5a8d2f64-never-ship-me';
const TOML_KEY = 'sk-TOML-c4e19b07-never-ship-me';
const PRIVATE_KEY = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASC-never-ship-me';

/** The project's sources; node_modules is linked, everything generated is left out. */
const SKIP = new Set(['node_modules', '.git', '.tools', 'data', 'dist', 'bench', 'chaos', 'test']);

let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(testEnv('workDir'), 'zip-secrets-'));
  for (const entry of fs.readdirSync(ROOT)) {
    if (SKIP.has(entry) || entry === '.env') continue;
    fs.cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  fs.writeFileSync(path.join(project, '.env'), `TEMPORAL_API_KEY=${DOTENV_KEY}\n`);
  fs.mkdirSync(path.join(project, 'certs'));
  fs.writeFileSync(
    path.join(project, 'certs/client.pem'),
    '-----BEGIN CERTIFICATE-----\nnot-secret\n-----END CERTIFICATE-----\n',
  );
  fs.writeFileSync(
    path.join(project, 'certs/client.key'),
    `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY}\n-----END PRIVATE KEY-----\n`,
  );
});

const toml = () => path.join(project, 'temporal.toml');
const projectToml = fs.readFileSync(path.join(ROOT, 'temporal.toml'), 'utf8');
const withInlineKey = () => projectToml.replace('[profile.cloud]\n', `[profile.cloud]\napi_key = "${TOML_KEY}"\n`);

function build(args: string[]): Promise<{ code: number; output: string }> {
  const env = { ...process.env, TEMPORAL_API_KEY: SHELL_KEY };
  return new Promise((resolve) =>
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/build-lambda.ts', ...args],
      { cwd: project, env },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, output: `${stdout}${stderr}` }),
    ),
  );
}

function secretsIn(bytes: Buffer, secrets: string[]): string[] {
  return secrets.filter((s) => bytes.includes(s) || bytes.includes(Buffer.from(s).toString('base64')));
}

/** Every secret found in the zip file itself or in any file it unpacks to. */
async function secretsInZip(zip: string, secrets: string[]): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(project, 'unzipped-'));
  await extractZip(zip, root);
  const found = new Set(secretsIn(fs.readFileSync(zip), secrets));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else secretsIn(fs.readFileSync(full), secrets).forEach((s) => found.add(s));
    }
  };
  walk(root);
  return [...found];
}

// Secrets the SDK never reads, so the inline-secret check cannot see them: a commented-out key and a codec's auth.
const COMMENTED_KEY = 'commented-out-api-key-3c1e';
const CODEC_AUTH = 'codec-bearer-token-8d2f';
const withUnreadSecrets = () =>
  `${projectToml}\n# api_key = "${COMMENTED_KEY}"\n[profile.default.codec]\nendpoint = "http://127.0.0.1:8888"\nauth = "Bearer ${CODEC_AUTH}"\n`;

const ALL = [DOTENV_KEY, SHELL_KEY, TOML_KEY, PRIVATE_KEY, COMMENTED_KEY, CODEC_AUTH];

test('an api_key written in temporal.toml: the build refuses, names the file and the fix, writes no zip', async () => {
  fs.writeFileSync(toml(), withInlineKey());
  const out = path.join(project, 'dist/refused.zip');
  const run = await build(['--out', out]);
  expect(run.code).toBe(1);
  expect(run.output).toContain(
    `build:lambda: ${toml()} has a secret written in it (api_key in profile "cloud"), and temporal.toml goes into the zip: ` +
      'remove it from the file and store it in AWS Secrets Manager (the function gets TEMPORAL_API_KEY_SECRET=<secret>; docs/deploy-to-aws.md), ' +
      'or pass --include-certs to pack it anyway',
  );
  expect(fs.existsSync(out)).toBe(false);
  expect(secretsIn(Buffer.from(run.output), ALL)).toEqual([]);
});

test('without it: no .env, no key file and no secret in any byte of the zip, even with TEMPORAL_API_KEY set', async () => {
  // The packed temporal.toml is written anew from what the SDK reads, so a comment or a codec's auth stays behind.
  fs.writeFileSync(toml(), withUnreadSecrets());
  const out = path.join(project, 'dist/clean.zip');
  const run = await build(['--out', out]);
  expect(run.code).toBe(0);
  expect(run.output).toContain('certificates, keys and .env: not included');
  const names = (await listZip(out)).map((e) => e.name);
  expect(names).toContain('temporal.toml');
  expect(names.filter((n) => /(^|\/)\.env$|\.key$|\.pem$|^certs\//.test(n))).toEqual([]);
  expect(await secretsInZip(out, ALL)).toEqual([]);
  expect(secretsIn(Buffer.from(run.output), ALL)).toEqual([]);
});

test('--include-certs is the explicit override: the key file and the inline api_key go in, and the build says so', async () => {
  fs.writeFileSync(toml(), withInlineKey());
  const out = path.join(project, 'dist/with-certs.zip');
  const run = await build(['--include-certs', '--out', out]);
  expect(run.code).toBe(0);
  expect(run.output).toContain('certificates and keys INCLUDED, as asked: certs/client.pem, certs/client.key');
  expect(run.output).toContain('secrets written in temporal.toml INCLUDED, as asked: api_key in profile "cloud"');
  expect(secretsIn(Buffer.from(run.output), ALL)).toEqual([]);
  // Exactly what was asked for, nothing more: never the .env or this shell's TEMPORAL_API_KEY.
  expect((await secretsInZip(out, ALL)).sort()).toEqual([PRIVATE_KEY, TOML_KEY].sort());
});

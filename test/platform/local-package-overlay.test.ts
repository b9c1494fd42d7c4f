/**
 * The package a local Lambda service runs, with the machine injected (runs here on Linux, posing as each platform):
 * the builder makes the Linux zip for the host's architecture, and the service, deployed to through the AWS SDK
 * (CreateFunction, UpdateFunctionCode), adds the host's own native core on a Mac and nothing else, saying so once.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { BUILD_INFO_FILE } from '../../lambda/build-info';
import { checkPackage } from '../../machinery/lambda-entry/check-package';
import type { HostPlatform } from '../../machinery/lambda-entry/host-platform';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { projectCoreBridgeDir } from '../../machinery/lambda-local/native-core-overlay';
import { buildLocalLambdaPackage, filesUnder, type BuildResult } from '../../machinery/deployment/lambda-package';
import { extractZip, listZip, writeZip } from '../../machinery/plumbing/zip';
import {
  createFunctionAndWait,
  localLambdaClient,
  testFunctionInput,
  updateCodeAndWait,
} from '../support/function-zips';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

interface HostRow {
  name: string;
  host: HostPlatform;
  /** The Linux core the zip carries. */
  linuxCore: string;
  /** The core the service adds; none on Linux. */
  added?: string;
}

const LINUX_ARM_CORE = 'releases/aarch64-unknown-linux-gnu/index.node';
const LINUX_X64_CORE = 'releases/x86_64-unknown-linux-gnu/index.node';

const HOSTS: HostRow[] = [
  {
    name: 'macOS arm64',
    host: { os: 'darwin', arch: 'arm64' },
    linuxCore: LINUX_ARM_CORE,
    added: 'releases/aarch64-apple-darwin/index.node',
  },
  {
    name: 'macOS x64',
    host: { os: 'darwin', arch: 'x64' },
    linuxCore: LINUX_X64_CORE,
    added: 'releases/x86_64-apple-darwin/index.node',
  },
  { name: 'Linux arm64', host: { os: 'linux', arch: 'arm64' }, linuxCore: LINUX_ARM_CORE },
];

const buildEnv = { ...process.env, SHOPFLOW_DEPLOYMENT_NAME: 'shopflow-platform', SHOPFLOW_BUILD_ID: 'platform-1' };
let dir: string;
const built = new Map<string, BuildResult>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'platform-'));
  for (const { name, host } of HOSTS) {
    const outFile = path.join(dir, `${name.replace(' ', '-')}.zip`);
    built.set(name, await buildLocalLambdaPackage({ host, includeCerts: false, outFile, env: buildEnv }));
  }
});

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A local Lambda service posing as `host`, and what it narrates. */
async function serviceOn(host: HostPlatform): Promise<{ local: LocalLambda; client: LambdaClient; said: string[] }> {
  const said: string[] = [];
  const stateDir = fs.mkdtempSync(path.join(dir, 'service-'));
  const local = await startLocalLambda({ stateDir, port: 0, host, narrate: (line) => said.push(line) });
  return { local, client: localLambdaClient(local.endpoint), said };
}

/** The same package with another build time: different bytes, so UpdateFunctionCode unpacks it anew. */
async function rebuiltZip(zip: string): Promise<Buffer> {
  const unpacked = fs.mkdtempSync(path.join(dir, 'rezip-'));
  await extractZip(zip, unpacked);
  const infoFile = path.join(unpacked, BUILD_INFO_FILE);
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(infoFile, JSON.stringify({ ...info, builtAt: new Date().toISOString() }));
  const out = path.join(dir, `${path.basename(unpacked)}.zip`);
  const entries = filesUnder(unpacked).map((name) => ({
    name: name.split(path.sep).join('/'),
    file: path.join(unpacked, name),
    executable: name.endsWith('.node'),
  }));
  await writeZip(entries, out);
  return fs.readFileSync(out);
}

describe.each(HOSTS)('$name', ({ name, host, linuxCore, added }) => {
  test('the builder makes the Linux zip for the host architecture, with only its Linux core', async () => {
    const result = built.get(name)!;
    const natives = (await listZip(result.outFile)).map((e) => e.name).filter((n) => n.endsWith('.node'));
    expect(natives).toEqual([linuxCore]);
    expect(result.info.architecture).toBe(host.arch === 'x64' ? 'x86_64' : 'arm64');
  });

  const adds = added ? `plus ${added}` : 'and add nothing';
  test(`CreateFunction and UpdateFunctionCode unpack the zip ${adds}`, async () => {
    const { local, client, said } = await serviceOn(host);
    try {
      const zipFile = built.get(name)!.outFile;
      const functionName = uniqueName('platform');
      const zipNames = (await listZip(zipFile)).map((e) => e.name).sort();
      const expected = [...zipNames, ...(added ? [added] : [])].sort();
      const line =
        `${functionName}: added ${name}'s native Temporal core (${added}, from @temporalio/core-bridge) ` +
        'to the unpacked code; the zip itself stays Linux-only, as AWS runs it';

      const deployments: [string, Buffer][] = [
        ['CreateFunction', fs.readFileSync(zipFile)],
        ['UpdateFunctionCode', await rebuiltZip(zipFile)],
      ];
      for (const [operation, zip] of deployments) {
        if (operation === 'CreateFunction') {
          await createFunctionAndWait(client, testFunctionInput(zip, { FunctionName: functionName }));
        } else {
          await updateCodeAndWait(client, { FunctionName: functionName, ZipFile: zip });
        }
        const { codeDir } = local.registry.resolve(functionName).record;
        expect(
          filesUnder(codeDir)
            .map((f) => f.split(path.sep).join('/'))
            .sort(),
        ).toEqual(expected);
        if (added) expect(sha256(path.join(codeDir, added))).toBe(sha256(path.join(projectCoreBridgeDir(), added)));
        expect(checkPackage(codeDir, {}, host)?.buildId).toBe('platform-1');
      }
      expect(said).toEqual(added ? [line, line] : []);
    } finally {
      client.destroy();
      await local.close();
    }
  });
});

test('a macOS arm64 service given the x86_64 package adds nothing, says why, and the check refuses it', async () => {
  const host = { os: 'darwin', arch: 'arm64' };
  const { local, client, said } = await serviceOn(host);
  try {
    const functionName = uniqueName('platform');
    const zip = fs.readFileSync(built.get('macOS x64')!.outFile);
    await createFunctionAndWait(client, testFunctionInput(zip, { FunctionName: functionName }));
    const { codeDir } = local.registry.resolve(functionName).record;
    expect(fs.readdirSync(path.join(codeDir, 'releases'))).toEqual(['x86_64-unknown-linux-gnu']);
    expect(said).toEqual([
      `${functionName}: not adding macOS arm64's native Temporal core: the package has no ` +
        "releases/aarch64-unknown-linux-gnu/index.node, so it is not built for this machine's architecture",
    ]);
    expect(() => checkPackage(codeDir, {}, host)).toThrow(
      'This package was built for x86_64 but the function runs on arm64: ' +
        "rebuild with `npm run build:lambda -- --arch arm64` or set the function's architecture to x86_64.",
    );
  } finally {
    client.destroy();
    await local.close();
  }
});

/**
 * A misconfigured Lambda function: the real package (built once, unpacked, changed per row) loaded and invoked the
 * way Lambda does it. Every row is the exact error the function's log shows, and proof that nothing happened: the
 * "Temporal server" it is pointed at (a socket we hold) saw no connection, and the journal has no line.
 */

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '@temporalio/common';
import { RUST_TARGET } from '../../machinery/lambda-entry/check-package';
import { localPackageArchitecture } from '../../machinery/lambda-entry/host-platform';
import { createLambdaWorkerHandler } from '../../lambda/lifecycle';
import { overlayHostNativeCore, projectCoreBridgeDir } from '../../machinery/lambda-local/native-core-overlay';
import { buildLambdaPackage } from '../../machinery/deployment/lambda-package';
import { extractZip } from '../../machinery/plumbing/zip';
import { journalLines } from '../support/journal-lines';
import { loadError, runPackagedHandler, type PackagedRun } from '../support/packaged-handler';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

/** The package is built for this machine's architecture (on a Mac with the Mac's core added, as the local service does). */
const HOST = localPackageArchitecture();
const OTHER = HOST === 'x86_64' ? 'arm64' : 'x86_64';
const OTHER_CORE = `releases/${RUST_TARGET[OTHER]}/index.node`;
const OTHER_BINARY = path.join(projectCoreBridgeDir(), OTHER_CORE);
const HOST_CORE = `releases/${RUST_TARGET[HOST]}/index.node`;
const REBUILD = `rebuild with \`npm run build:lambda -- --arch ${HOST}\``;

let dir: string;
let unpacked: string;
let fakeServer: net.Server;
let connections = 0;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-config-'));
  const zip = path.join(dir, 'function.zip');
  await buildLambdaPackage({
    arch: HOST,
    includeCerts: false,
    outFile: zip,
    env: { ...process.env, SHOPFLOW_BUILD_ID: 'v1', SHOPFLOW_DEPLOYMENT_NAME: 'shopflow' },
  });
  unpacked = path.join(dir, 'unpacked');
  await extractZip(zip, unpacked);
  overlayHostNativeCore(unpacked);
  fakeServer = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => fakeServer.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => fakeServer?.close(resolve));
});

interface Row {
  name: string;
  /** Changes the unpacked package (a copy of the built one). */
  change?: (root: string) => void;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Fails while loading (init error) or when invoked. */
  when: 'load' | 'invoke';
  error: (root: string, address: string) => string | RegExp;
}

const ROWS: Row[] = [
  {
    name: 'a function timeout too short for the shutdown buffer',
    timeoutMs: 5_000,
    when: 'invoke',
    error: () =>
      /^Insufficient time for Lambda worker before connecting: \d{4}ms remaining, 7000ms shutdown buffer, only -\d{4}ms work time \(minimum: 1000ms\)\. Raise the function timeout\.$/,
  },
  {
    name: `a package built for ${OTHER} on an ${HOST} function`,
    change: (root) => patchBuildInfo(root, { architecture: OTHER }),
    when: 'load',
    error: () =>
      `This package was built for ${OTHER} but the function runs on ${HOST}: ${REBUILD} or set the function's architecture to ${OTHER}.`,
  },
  {
    name: `the ${OTHER} native core under the ${HOST} binary's name`,
    change: (root) => fs.copyFileSync(OTHER_BINARY, path.join(root, HOST_CORE)),
    when: 'load',
    error: () =>
      `${HOST_CORE} is built for ${OTHER}, but the function runs on ${HOST}: the package was assembled wrongly; ${REBUILD}.`,
  },
  {
    name: `a hand-made zip with only the ${OTHER} native core and no build-info.json`,
    change: (root) => {
      fs.rmSync(path.join(root, 'build-info.json'));
      fs.rmSync(path.join(root, 'releases'), { recursive: true });
      fs.mkdirSync(path.dirname(path.join(root, OTHER_CORE)), { recursive: true });
      fs.copyFileSync(OTHER_BINARY, path.join(root, OTHER_CORE));
    },
    when: 'load',
    error: () =>
      `This package has no native Temporal core for ${HOST} (${HOST_CORE}); it carries ${OTHER_CORE}: ` +
      `${REBUILD} or set the function's architecture to match.`,
  },
  {
    name: 'SHOPFLOW_BUILD_ID in the environment contradicts the package',
    env: { SHOPFLOW_BUILD_ID: 'v2' },
    when: 'load',
    error: () =>
      "SHOPFLOW_BUILD_ID is v2 in the function's environment, but this package was built as v1: remove the variable, or rebuild with that build id.",
  },
  {
    name: 'TEMPORAL_PROFILE picks the packaged placeholder profile',
    env: { TEMPORAL_PROFILE: 'cloud' },
    when: 'load',
    // TEMPORAL_ADDRESS (the socket we hold) overrides the profile's address; the namespace is still the placeholder.
    error: (root, address) =>
      `profile "cloud" still has a placeholder address or namespace (address ${address}, namespace <namespace>.<account-id>): ` +
      `edit ${root}/temporal.toml or set TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE`,
  },
  {
    name: 'a malformed idle-exit setting',
    env: { SHOPFLOW_LAMBDA_IDLE_EXIT_MS: '5s' },
    when: 'load',
    error: () => 'SHOPFLOW_LAMBDA_IDLE_EXIT_MS "5s" must be a whole number of milliseconds (0 turns idle exit off)',
  },
  {
    name: 'a malformed first-task grace',
    env: { SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS: '-1' },
    when: 'load',
    error: () =>
      'SHOPFLOW_LAMBDA_FIRST_TASK_GRACE_MS "-1" must be a whole number of milliseconds (0 = wait the idle exit)',
  },
  {
    name: 'a malformed cache-empty exit',
    env: { SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS: '0.3s' },
    when: 'load',
    error: () =>
      'SHOPFLOW_LAMBDA_EMPTY_CACHE_EXIT_MS "0.3s" must be a whole number of milliseconds (0 turns the cache-empty exit off)',
  },
];

function patchBuildInfo(root: string, patch: Record<string, unknown>): void {
  const file = path.join(root, 'build-info.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...patch }));
}

function failure(run: PackagedRun, when: Row['when']): string | undefined {
  if (when === 'load') return run.invocation ? `loaded and ran: ${JSON.stringify(run.invocation)}` : loadError(run);
  return run.invocation?.ok === false ? run.invocation.error : `no failed invocation:\n${run.output}`;
}

test.each(ROWS)(
  '$name: the function says what to fix; nothing connects',
  async ({ change, env, timeoutMs, when, error }) => {
    const root = path.join(dir, uniqueName('row'));
    fs.cpSync(unpacked, root, { recursive: true });
    change?.(root);
    const journal = path.join(root, 'journal.jsonl');
    const before = connections;

    const address = `127.0.0.1:${(fakeServer.address() as net.AddressInfo).port}`;
    const run = await runPackagedHandler(root, timeoutMs ?? 30_000, {
      TEMPORAL_ADDRESS: address,
      SHOPFLOW_JOURNAL: journal,
      ...env,
    });

    const expected = error(root, address);
    if (typeof expected === 'string') expect(failure(run, when)).toBe(expected);
    else expect(failure(run, when)).toMatch(expected);
    expect(run.code).toBe(1);
    expect(connections).toBe(before);
    expect(journalLines(journal)).toEqual([]);
  },
);

test('no task queue at all is refused when the handler is created, before any invocation', () => {
  // The packaged handler always has one (TASK_QUEUE); this is the lifecycle's own guard, as runWorker has it.
  const connect = jest.fn();
  const create = () =>
    createLambdaWorkerHandler({ deploymentName: 'shopflow', buildId: 'v1' }, () => {}, {
      connect,
      createWorker: jest.fn(),
      loadConnectConfig: () => ({ connectionOptions: { address: '127.0.0.1:1' }, namespace: 'default' }),
      installRuntime: jest.fn(),
      getLogger: () => ({}) as Logger,
    });
  expect(create).toThrow(
    new Error(
      'taskQueue is required: set config.workerOptions.taskQueue in the configure callback or set the TEMPORAL_TASK_QUEUE environment variable',
    ),
  );
  expect(connect).not.toHaveBeenCalled();
});

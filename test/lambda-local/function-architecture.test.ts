/**
 * Lambda runs a function on its declared architecture: a zip whose native Temporal core is built for the other one
 * fails its init there, so the local service fails the invocation the same way, whatever machine it runs on, with
 * the fix in the message. A zip matching its function runs, even when the function's architecture is not the
 * host's (the handler here never loads the core, so it runs anywhere). The cores are fake: an ELF header is all the
 * check reads.
 */

import fs from 'node:fs';
import path from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaArchitecture } from '../../config/lambda-architecture';
import { writeZip } from '../../machinery/plumbing/zip';
import { BUILD_INFO_FILE } from '../../lambda/build-info';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createFunctionAndWait, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

const TARGET: Record<LambdaArchitecture, string> = {
  x86_64: 'x86_64-unknown-linux-gnu',
  arm64: 'aarch64-unknown-linux-gnu',
};

/** The first bytes of a 64-bit little-endian ELF shared object for `arch` (e_machine at offset 18). */
function fakeCore(arch: LambdaArchitecture): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // ELFCLASS64
  header[5] = 1; // little-endian
  header[6] = 1;
  header.writeUInt16LE(3, 16); // ET_DYN
  header.writeUInt16LE(arch === 'x86_64' ? 0x3e : 0xb7, 18);
  return header;
}

interface Row {
  name: string;
  function: LambdaArchitecture;
  /** The core the zip carries: the folder it is in, and what its ELF header says. */
  core: { folder: LambdaArchitecture; builtFor: LambdaArchitecture };
  /** The zip's build-info.json architecture, for a package made by the builder. */
  built?: LambdaArchitecture;
  /** The init error's message; undefined when the function runs. */
  refused?: string;
}

const ROWS: Row[] = [
  {
    name: 'arm64 function, x86_64 zip',
    function: 'arm64',
    core: { folder: 'x86_64', builtFor: 'x86_64' },
    refused:
      'This package has no native Temporal core for arm64 (releases/aarch64-unknown-linux-gnu/index.node); it ' +
      'carries releases/x86_64-unknown-linux-gnu/index.node: rebuild with `npm run build:lambda -- --arch arm64` ' +
      "or set the function's architecture to match.",
  },
  {
    name: 'x86_64 function, arm64 zip',
    function: 'x86_64',
    core: { folder: 'arm64', builtFor: 'arm64' },
    refused:
      'This package has no native Temporal core for x86_64 (releases/x86_64-unknown-linux-gnu/index.node); it ' +
      'carries releases/aarch64-unknown-linux-gnu/index.node: rebuild with `npm run build:lambda -- --arch x86_64` ' +
      "or set the function's architecture to match.",
  },
  {
    name: 'arm64 function, x86_64 package from the builder',
    function: 'arm64',
    core: { folder: 'x86_64', builtFor: 'x86_64' },
    built: 'x86_64',
    refused:
      'This package was built for x86_64 but the function runs on arm64: rebuild with ' +
      "`npm run build:lambda -- --arch arm64` or set the function's architecture to x86_64.",
  },
  {
    name: 'arm64 function, an x86_64 core in the arm64 folder',
    function: 'arm64',
    core: { folder: 'arm64', builtFor: 'x86_64' },
    refused:
      'releases/aarch64-unknown-linux-gnu/index.node is built for x86_64, but the function runs on arm64: the ' +
      'package was assembled wrongly; rebuild with `npm run build:lambda -- --arch arm64`.',
  },
  { name: 'arm64 function, arm64 zip', function: 'arm64', core: { folder: 'arm64', builtFor: 'arm64' } },
  { name: 'x86_64 function, x86_64 zip', function: 'x86_64', core: { folder: 'x86_64', builtFor: 'x86_64' } },
];

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-arch-'));
  local = await startLocalLambda({ stateDir: path.join(dir, 'state'), port: 0 });
  lambda = localLambdaClient(local.endpoint);
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

async function zipFor(row: Row): Promise<Buffer> {
  const folder = fs.mkdtempSync(path.join(dir, 'zip-'));
  const core = `releases/${TARGET[row.core.folder]}/index.node`;
  const files: Record<string, string | Buffer> = {
    'index.js': 'exports.handler = async () => ({ ran: process.arch });',
    [core]: fakeCore(row.core.builtFor),
  };
  if (row.built) files[BUILD_INFO_FILE] = JSON.stringify({ architecture: row.built, buildId: 'arch-1' });
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  }
  const zipFile = path.join(folder, 'function.zip');
  await writeZip(
    Object.keys(files).map((name) => ({ name, file: path.join(folder, name), executable: name.endsWith('.node') })),
    zipFile,
  );
  return fs.readFileSync(zipFile);
}

test.each(ROWS)('$name', async (row) => {
  const input = testFunctionInput(await zipFor(row), { Architectures: [row.function] });
  await createFunctionAndWait(lambda, input);
  const name = input.FunctionName!;
  for (const attempt of [1, 2]) {
    const result = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
    const payload = JSON.parse(new TextDecoder().decode(result.Payload)) as unknown;
    const log = Buffer.from(result.LogResult ?? '', 'base64').toString();
    if (!row.refused) {
      expect(result.FunctionError).toBeUndefined();
      expect(payload).toEqual({ ran: process.arch });
      continue;
    }
    // The init fails on every attempt: no environment is kept for a package that cannot start.
    expect([attempt, result.FunctionError]).toEqual([attempt, 'Unhandled']);
    expect(payload).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: row.refused });
    expect(log).toContain(`ERROR\tUncaught Exception \t${JSON.stringify(payload)}`);
    expect(local.service.environmentsOf(name)).toEqual([]);
  }
});

/**
 * Lambda's memory limit on the real local service: an environment is held to its function's memory size (a cgroup,
 * no swap). A handler that allocates without end is killed by the kernel's OOM killer and the invocation ends as on
 * AWS (Runtime.OutOfMemory, Max Memory Used at the memory size, the environment gone); one that stays under runs.
 * A host that cannot hold environments to their size (not root, no cgroup memory controller) fails this test with
 * the service's reason: the local service would be more lenient than Lambda there (CI runs as root).
 */

import fs from 'node:fs';
import path from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { writeZip } from '../../machinery/plumbing/zip';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createFunctionAndWait, localLambdaClient, testFunctionInput } from '../support/function-zips';
import { testEnv } from '../support/test-env';

const MEMORY_MB = 128;

/** `hog`: allocates (and touches) 4 MB after 4 MB, kept, without end; `use`: keeps `mb` MB and returns. */
const HANDLER = `
exports.handler = async (event) => {
  const kept = [];
  if (event.action === 'hog') {
    for (;;) {
      kept.push(Buffer.alloc(4 * 1024 * 1024, 1));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (let i = 0; i < (event.mb ?? 0); i++) kept.push(Buffer.alloc(1024 * 1024, 1));
  return { pid: process.pid, kept: kept.length };
};`;

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
const said: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-memory-'));
  local = await startLocalLambda({
    stateDir: path.join(dir, 'state'),
    port: 0,
    memoryLimit: true,
    log: (line) => said.push(line),
  });
  lambda = localLambdaClient(local.endpoint);
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
});

async function createFunction(): Promise<string> {
  fs.writeFileSync(path.join(dir, 'index.js'), HANDLER);
  const zipFile = path.join(dir, 'memory.zip');
  await writeZip([{ name: 'index.js', file: path.join(dir, 'index.js') }], zipFile);
  const input = testFunctionInput(fs.readFileSync(zipFile), { MemorySize: MEMORY_MB, Timeout: 60 });
  await createFunctionAndWait(lambda, input);
  return input.FunctionName!;
}

async function invoke(name: string, event: object) {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: new TextEncoder().encode(JSON.stringify(event)),
      LogType: 'Tail',
    }),
  );
  const log = Buffer.from(result.LogResult ?? '', 'base64').toString();
  return {
    functionError: result.FunctionError,
    payload: JSON.parse(new TextDecoder().decode(result.Payload)) as Record<string, unknown>,
    log,
    requestId: /START RequestId: (\S+)/.exec(log)?.[1],
    report: log.split('\n').find((line) => line.startsWith('REPORT ')) ?? '',
  };
}

test('the host holds environments to their memory size (else this fails with the reason)', () => {
  if (!local.memoryLimits.applies)
    throw new Error(
      `The local Lambda service cannot hold an environment to its memory size on this host, so it would be more ` +
        `lenient than Lambda: ${said.join(' | ') || local.memoryLimits.describe()}. Run the tests as root (CI does).`,
    );
  expect(said.filter((line) => line.includes('memory'))).toEqual([]);
});

test('a handler that allocates without end is OOM-killed: Runtime.OutOfMemory, Max Memory Used = memory size, a fresh environment next', async () => {
  expect(local.memoryLimits.applies).toBe(true);
  const name = await createFunction();

  const first = await invoke(name, { mb: 1 });
  expect(first.functionError).toBeUndefined();
  const [environment] = local.service.environmentsOf(name);
  const group = environment.memoryLimit!.group;
  const limitFile = local.memoryLimits.version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max';
  expect(fs.readFileSync(path.join(group, limitFile), 'utf8').trim()).toBe(String(MEMORY_MB * 1024 * 1024));

  const killed = await invoke(name, { action: 'hog' });
  expect(killed.functionError).toBe('Unhandled');
  expect(killed.requestId).toBeDefined();
  expect(killed.payload).toEqual({
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${killed.requestId} Error: Runtime exited with error: signal: killed`,
  });
  expect(killed.report).toContain(`\tMemory Size: ${MEMORY_MB} MB\tMax Memory Used: ${MEMORY_MB} MB`);
  expect(environment.state).toBe('dead');
  await environment.exited();
  expect(fs.existsSync(group)).toBe(false); // its group is removed with it
  const now = Date.now();
  const errors = local.metrics.series(name, 'Errors', 'Sum', now - 60_000, now + 1_000, 3600).values;
  expect(errors.reduce((a, b) => a + b, 0)).toBe(1);

  // The next invocation is a cold start in a new environment.
  const next = await invoke(name, {});
  expect(next.functionError).toBeUndefined();
  expect(next.payload.pid).not.toBe(first.payload.pid);
  expect(next.report).toMatch(/\tInit Duration: \d+\.\d\d ms/);
  const [fresh] = local.service.environmentsOf(name);
  expect(fresh.id).not.toBe(environment.id);
});

test('a handler keeping 40 MB at 128 MB runs, in the same environment next time', async () => {
  expect(local.memoryLimits.applies).toBe(true);
  const name = await createFunction();
  const used = await invoke(name, { mb: 40 });
  expect(used.functionError).toBeUndefined();
  expect(used.payload.kept).toBe(40);
  const maxUsed = Number(/\tMax Memory Used: (\d+) MB/.exec(used.report)?.[1]);
  expect(maxUsed).toBeGreaterThanOrEqual(40);
  expect(maxUsed).toBeLessThan(MEMORY_MB);
  const again = await invoke(name, { mb: 40 });
  expect(again.functionError).toBeUndefined();
  expect(again.payload.pid).toBe(used.payload.pid);
});

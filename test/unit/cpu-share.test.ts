/** Lambda's CPU share per memory size, and the cgroups that apply it, against a fake kernel's cgroup filesystem. */

import path from 'node:path';
import { CpuShares, cpuQuotaUs, cpuShareWanted, lambdaVcpus } from '../../machinery/lambda-local/cpu-share';
import { FAKE_CPU, FakeCgroupFs } from '../support/fake-cgroup-fs';

const V1_BASE = '/host/sys/fs/cgroup/cpu';
const V2_BASE = '/host/sys/fs/cgroup';

function shares(fake: FakeCgroupFs, lines: string[], enabled = true): CpuShares {
  return new CpuShares(enabled, { root: '/host', hostCores: 2, cgroupFs: fake, log: (l) => lines.push(l) });
}

test('Lambda gives one vCPU per 1769 MB, proportionally less below, never more than the host has', () => {
  expect(lambdaVcpus(1769, 2)).toBe(1);
  expect(lambdaVcpus(128, 2)).toBeCloseTo(0.0724, 4);
  expect(lambdaVcpus(3538, 8)).toBe(2);
  expect(lambdaVcpus(10_240, 2)).toBe(2);
  expect(lambdaVcpus(10_240, 8)).toBeCloseTo(5.79, 2);
  expect(cpuQuotaUs(128, 2)).toBe(7236);
  expect(cpuQuotaUs(1024, 2)).toBe(57886);
  expect(cpuQuotaUs(1769, 2)).toBe(100_000);
  expect(cpuQuotaUs(4096, 2)).toBe(200_000);
  expect(cpuQuotaUs(10, 2)).toBe(1000); // the kernel's smallest quota
});

test('the share is on by default; an option or SHOPFLOW_LAMBDA_CPU_SHARE=off turns it off', () => {
  expect(cpuShareWanted(undefined, {})).toBe(true);
  expect(cpuShareWanted(undefined, { SHOPFLOW_LAMBDA_CPU_SHARE: 'off' })).toBe(false);
  expect(cpuShareWanted(true, { SHOPFLOW_LAMBDA_CPU_SHARE: 'off' })).toBe(true);
  expect(cpuShareWanted(false, {})).toBe(false);
});

test('cgroup v1: a group per environment with its quota and pid, removed on release and at close', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v1', V1_BASE);
  const lines: string[] = [];
  const cpu = shares(fake, lines);
  expect(cpu.applies).toBe(true);
  expect(cpu.version).toBe('v1');
  expect(cpu.describe()).toBe("Lambda's share (cgroup v1, 1 vCPU per 1769 MB)");
  const a = cpu.apply('env-a', 4242, 1024)!;
  expect(a).toMatchObject({ quotaUs: 57886, periodUs: 100_000 });
  expect(path.dirname(path.dirname(a.group))).toBe(V1_BASE);
  expect(fake.read(path.join(a.group, 'cpu.cfs_quota_us'))).toBe('57886');
  expect(fake.read(path.join(a.group, 'cpu.cfs_period_us'))).toBe('100000');
  expect(fake.read(path.join(a.group, 'cgroup.procs'))).toBe('4242');
  cpu.release('env-a');
  expect(fake.exists(a.group)).toBe(false);
  const b = cpu.apply('env-b', 4343, 128)!;
  expect(fake.read(path.join(b.group, 'cpu.cfs_quota_us'))).toBe('7236');
  cpu.close();
  expect(fake.list(V1_BASE)).toEqual([]);
  expect(lines).toEqual([]);
});

test('cgroup v2: the cpu controller is delegated down to each environment, whose cpu.max is set', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v2', V2_BASE);
  const cpu = shares(fake, []);
  expect(cpu.version).toBe('v2');
  const a = cpu.apply('env-a', 4242, 1769)!;
  expect(fake.read(path.join(V2_BASE, 'cgroup.subtree_control'))).toBe('memory cpu');
  expect(fake.read(path.join(path.dirname(a.group), 'cgroup.subtree_control'))).toBe('cpu');
  expect(fake.read(path.join(a.group, 'cpu.max'))).toBe('100000 100000');
  expect(fake.read(path.join(a.group, 'cgroup.procs'))).toBe('4242');
  cpu.close();
  expect(fake.list(V2_BASE)).toEqual([]);
});

test('no cgroup CPU controller: said once, and every environment runs unlimited', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v1', '/elsewhere');
  const lines: string[] = [];
  const cpu = shares(fake, lines);
  expect(cpu.applies).toBe(false);
  expect(cpu.apply('env-a', 1, 1024)).toBeUndefined();
  expect(cpu.apply('env-b', 2, 1024)).toBeUndefined();
  expect(lines).toHaveLength(1);
  expect(cpu.describe()).toMatch(/^unlimited \(no cgroup CPU controller under/);
  expect(lines[0]).toMatch(/environments run unlimited: no cgroup CPU controller under \/host\/sys\/fs\/cgroup/);
});

test('a cgroup filesystem that refuses a group: said once, with the error and the fix', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v1', V1_BASE);
  fake.failOn = { op: 'mkdir', code: 'EACCES' };
  const lines: string[] = [];
  const cpu = shares(fake, lines);
  expect(cpu.applies).toBe(false);
  expect(lines).toEqual([expect.stringMatching(/cannot create a cgroup in .*cpu \(EACCES.*run the service as root/)]);
});

test('a cgroup filesystem that cannot be read: said once, and the service still starts', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v2', V2_BASE);
  fake.read = () => {
    throw Object.assign(new Error('EACCES (fake)'), { code: 'EACCES' });
  };
  const lines: string[] = [];
  expect(shares(fake, lines).applies).toBe(false);
  expect(lines).toEqual([expect.stringMatching(/cannot read \/host\/sys\/fs\/cgroup \(EACCES/)]);
});

test('an environment that cannot join its group: said once, its group removed, the rest run unlimited', () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v1', V1_BASE);
  const lines: string[] = [];
  const cpu = shares(fake, lines);
  fake.failOn = { op: 'write', code: 'ESRCH' };
  expect(cpu.apply('env-a', 4242, 1024)).toBeUndefined();
  fake.failOn = undefined;
  expect(cpu.apply('env-b', 4343, 1024)).toBeUndefined();
  expect(lines).toEqual([expect.stringMatching(/cannot put an environment in .*env-a \(ESRCH/)]);
  cpu.close();
  expect(fake.list(V1_BASE)).toEqual([]);
});

test("a dead service's groups are swept at start; a live one's are left alone; off creates nothing", () => {
  const fake = new FakeCgroupFs(FAKE_CPU, 'v1', V1_BASE);
  const dead = path.join(V1_BASE, 'shopflow-lambda-999999999-abcdef');
  const live = path.join(V1_BASE, `shopflow-lambda-${process.ppid}-abcdef`);
  for (const dir of [dead, path.join(dead, 'env-1'), live, path.join(live, 'env-2')]) fake.mkdir(dir);
  const off = shares(fake, [], false);
  expect(off.applies).toBe(false);
  expect(off.describe()).toBe('unlimited (CPU share turned off)');
  expect(fake.list(V1_BASE).sort()).toEqual([path.basename(dead), path.basename(live)].sort());
  const cpu = shares(fake, []);
  expect(fake.exists(dead)).toBe(false);
  expect(fake.exists(path.join(live, 'env-2'))).toBe(true);
  cpu.close();
  expect(fake.list(V1_BASE)).toEqual([path.basename(live)]);
});

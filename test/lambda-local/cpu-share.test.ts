/**
 * Lambda's CPU share on the real local service: an environment's process sits in a cgroup of its own with the
 * quota of its function's memory size, is throttled to it, and no group is left once the service closes. On a host
 * that cannot (no cgroup CPU controller, not root), the service says so in one line, and that is asserted instead.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { cpuQuotaUs } from '../../machinery/lambda-local/cpu-share';
import { startLocalLambda, type LocalLambda } from '../../machinery/lambda-local/local-lambda';
import { createTestFunction, localLambdaClient } from '../support/function-zips';
import { testEnv } from '../support/test-env';

const MEMORY_MB = 256;

async function invoke(lambda: LambdaClient, name: string, event: object): Promise<Record<string, unknown>> {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
  );
  expect(result.FunctionError).toBeUndefined();
  return JSON.parse(new TextDecoder().decode(result.Payload)) as Record<string, unknown>;
}

/** The process's cgroup path in the hierarchy that holds the cpu controller (v1 `N:cpu...:/p`, v2 `0::/p`). */
function cpuCgroupOf(pid: number, version: 'v1' | 'v2'): string | undefined {
  const lines = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const line = lines.find((l) => (version === 'v1' ? l.split(':')[1].split(',').includes('cpu') : l.startsWith('0::')));
  return line?.split(':').slice(2).join(':');
}

/** The groups inside a cgroup (its subdirectories; the rest are the kernel's interface files). */
function groupsIn(group: string): string[] {
  return fs
    .readdirSync(group, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'lambda-cpu-'));
});

test('an environment runs in a cgroup with the CPU share of its memory size, removed at exit and close', async () => {
  const lines: string[] = [];
  const local: LocalLambda = await startLocalLambda({
    stateDir: path.join(dir, 'state'),
    port: 0,
    cpuShare: true,
    log: (l) => lines.push(l),
  });
  const lambda = localLambdaClient(local.endpoint);
  try {
    const name = await createTestFunction(lambda, dir, { memoryMb: MEMORY_MB, timeout: 30 });
    const first = await invoke(lambda, name, {});
    const pid = first.pid as number;
    const [environment] = local.service.environmentsOf(name);
    expect(environment.pid).toBe(pid);

    if (!local.cpuShares.applies) {
      // This host cannot: the service said so once, why, and the environment ran unlimited.
      expect(lines).toEqual([expect.stringMatching(/^Local Lambda: no CPU share per environment, .*: .+/)]);
      expect(environment.cpuShare).toBeUndefined();
      return;
    }
    expect(lines).toEqual([]);
    const share = environment.cpuShare!;
    const base = path.dirname(path.dirname(share.group));
    expect(cpuCgroupOf(pid, local.cpuShares.version!)).toBe(`/${path.relative(base, share.group)}`);
    const quotaFile = local.cpuShares.version === 'v1' ? 'cpu.cfs_quota_us' : 'cpu.max';
    const quota = Number(fs.readFileSync(path.join(share.group, quotaFile), 'utf8').split(' ')[0]);
    expect(quota).toBe(cpuQuotaUs(MEMORY_MB, os.availableParallelism()));
    expect(quota).toBeLessThan(20_000); // 256 MB: about 14% of one CPU

    // Kept busy, the environment is throttled to its quota: the kernel counts the periods it ran out.
    await invoke(lambda, name, { action: 'spin', ms: 400 });
    const stat = fs.readFileSync(path.join(share.group, 'cpu.stat'), 'utf8');
    expect(Number(/nr_throttled (\d+)/.exec(stat)?.[1])).toBeGreaterThan(0);
    const serviceGroup = path.dirname(share.group);
    expect(groupsIn(serviceGroup)).toEqual([environment.id]);

    // An environment's group goes when it exits; the service's goes at close.
    environment.crash();
    await environment.exited();
    for (let i = 0; i < 20 && fs.existsSync(share.group); i++) await sleep(50);
    expect(fs.existsSync(share.group)).toBe(false);
    const second = await invoke(lambda, name, {});
    const next = local.service.environmentsOf(name)[0];
    expect(next.pid).toBe(second.pid);
    expect(fs.existsSync(next.cpuShare!.group)).toBe(true);

    await local.close();
    expect(fs.existsSync(next.cpuShare!.group)).toBe(false);
    expect(fs.existsSync(serviceGroup)).toBe(false);
    expect(groupsIn(base)).not.toContain(path.basename(serviceGroup));
  } finally {
    lambda.destroy();
    await local.close();
  }
}, 60_000);

test('where no cgroup can be made, the service says so in one line, once, and environments run unlimited', async () => {
  const lines: string[] = [];
  const emptyRoot = fs.mkdtempSync(path.join(dir, 'no-cgroups-'));
  const local = await startLocalLambda({
    stateDir: path.join(dir, 'state-none'),
    port: 0,
    cpuShare: true,
    cpuShareHost: { root: emptyRoot },
    log: (l) => lines.push(l),
  });
  const lambda = localLambdaClient(local.endpoint);
  try {
    const name = await createTestFunction(lambda, dir, { memoryMb: MEMORY_MB, timeout: 30 });
    // Two environments at once: both start, and the line is still said only once.
    const both = await Promise.all([
      invoke(lambda, name, { action: 'sleep', ms: 300 }),
      invoke(lambda, name, { action: 'sleep', ms: 300 }),
    ]);
    expect(both).toEqual([{ slept: 300 }, { slept: 300 }]);
    expect(local.service.environmentsOf(name)).toHaveLength(2);
    expect(local.service.environmentsOf(name).map((e) => e.cpuShare)).toEqual([undefined, undefined]);
    expect(lines).toEqual([
      `Local Lambda: no CPU share per environment, environments run unlimited: no cgroup CPU controller under ` +
        `${path.join(emptyRoot, 'sys', 'fs', 'cgroup')} (neither v1 cpu/ nor v2 with the cpu controller)`,
    ]);
  } finally {
    lambda.destroy();
    await local.close();
  }
}, 60_000);

/**
 * Lambda's CPU share for each execution environment: a cgroup per environment (v1 `cpu` or v2 `cpu.max`) capping
 * its process to the vCPUs Lambda gives its memory size. Where no cgroup can be made, it says so once and runs
 * environments unlimited. Groups live under one group per service and are removed when their environment exits.
 */

import os from 'node:os';
import path from 'node:path';
import {
  openServiceGroup,
  REAL_CGROUP_FS,
  errorText,
  removeGroup,
  type CgroupFs,
  type Controller,
} from './cgroup-tree';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

export type { CgroupFs };

/**
 * vCPUs Lambda gives a function of `memoryMb`: one at 1769 MB, proportionally less below and more above (AWS:
 * "at 1,769 MB, a function has the equivalent of one vCPU"), never more than the host has.
 */
export function lambdaVcpus(
  memoryMb: number,
  hostCores: number,
  mbPerVcpu: number = LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu,
): number {
  return Math.min(memoryMb / mbPerVcpu, hostCores);
}

/** CPU time per scheduling period (µs) for that share; the kernel's floor is 1000 µs. */
export function cpuQuotaUs(
  memoryMb: number,
  hostCores: number,
  periodUs: number = LOCAL_LAMBDA_DEFAULTS.cpuSharePeriodUs,
  mbPerVcpu: number = LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu,
): number {
  return Math.max(1000, Math.round(lambdaVcpus(memoryMb, hostCores, mbPerVcpu) * periodUs));
}

/** SHOPFLOW_LAMBDA_CPU_SHARE=off turns the share off for any service not told otherwise (bench, demo, tests). */
export function cpuShareWanted(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option;
  const raw = env.SHOPFLOW_LAMBDA_CPU_SHARE?.trim().toLowerCase();
  if (raw === 'off' || raw === '0' || raw === 'false') return false;
  return LOCAL_LAMBDA_DEFAULTS.cpuShare;
}

export interface CpuShareOptions {
  /** Where the cgroup filesystem is found: `<root>/sys/fs/cgroup`. Default `/`. */
  root?: string;
  hostCores?: number;
  cgroupFs?: CgroupFs;
  /** Says, once, why environments run unlimited. */
  log: (line: string) => void;
}

/** What a spawned environment got: its group and quota, for the service's narration and the tests. */
export interface AppliedShare {
  group: string;
  vcpus: number;
  quotaUs: number;
  periodUs: number;
}

const GROUP_PREFIX = 'shopflow-lambda-';
const CPU_CONTROLLER: Controller = { name: 'cpu', v1File: 'cpu.cfs_quota_us', label: 'CPU' };

export class CpuShares {
  /** Why environments run unlimited, when they do (said once through `log`). */
  unavailable?: string;
  readonly version?: 'v1' | 'v2';
  private readonly serviceGroup?: string;
  /** Set when putting an environment in its group failed once: the rest run unlimited, as said. */
  private failed = false;
  private readonly groups = new Map<string, string>();
  private readonly fsOps: CgroupFs;
  private readonly hostCores: number;

  /** `enabled: false` is the off switch: nothing is created and nothing is said. */
  constructor(
    enabled: boolean,
    private readonly options: CpuShareOptions,
  ) {
    this.fsOps = options.cgroupFs ?? REAL_CGROUP_FS;
    this.hostCores = options.hostCores ?? os.availableParallelism();
    if (!enabled) return;
    const opened = openServiceGroup(this.fsOps, options.root ?? '/', CPU_CONTROLLER, GROUP_PREFIX);
    if (typeof opened === 'string') {
      this.giveUp(opened);
      return;
    }
    this.version = opened.version;
    this.serviceGroup = opened.group;
  }

  get applies(): boolean {
    return this.serviceGroup !== undefined && !this.failed;
  }

  /** One phrase for reports: the share applied, or why environments run unlimited. */
  describe(): string {
    if (this.applies)
      return `Lambda's share (cgroup ${this.version}, 1 vCPU per ${LOCAL_LAMBDA_DEFAULTS.cpuShareMbPerVcpu} MB)`;
    return `unlimited (${this.unavailable ?? 'CPU share turned off'})`;
  }

  /** Puts the environment's process in a group of its own with the CPU share of `memoryMb`. */
  apply(environmentId: string, pid: number, memoryMb: number): AppliedShare | undefined {
    if (!this.serviceGroup || this.failed) return undefined;
    const group = path.join(this.serviceGroup, environmentId);
    const periodUs = LOCAL_LAMBDA_DEFAULTS.cpuSharePeriodUs;
    const quotaUs = cpuQuotaUs(memoryMb, this.hostCores, periodUs);
    try {
      this.fsOps.mkdir(group);
      this.groups.set(environmentId, group);
      if (this.version === 'v1') {
        this.fsOps.write(path.join(group, 'cpu.cfs_period_us'), String(periodUs));
        this.fsOps.write(path.join(group, 'cpu.cfs_quota_us'), String(quotaUs));
      } else {
        this.fsOps.write(path.join(group, 'cpu.max'), `${quotaUs} ${periodUs}`);
      }
      this.fsOps.write(path.join(group, 'cgroup.procs'), String(pid));
    } catch (err) {
      this.release(environmentId);
      this.failed = true;
      this.giveUp(`cannot put an environment in ${group} (${errorText(err)})`);
      return undefined;
    }
    return { group, vcpus: lambdaVcpus(memoryMb, this.hostCores), quotaUs, periodUs };
  }

  /** Removes the environment's group once its process has exited; a group still busy is retried at close. */
  release(environmentId: string): void {
    const group = this.groups.get(environmentId);
    if (group && removeGroup(this.fsOps, group)) this.groups.delete(environmentId);
  }

  /** Removes every group this service made (call it after every environment's process has exited). */
  close(): void {
    for (const id of [...this.groups.keys()]) this.release(id);
    if (this.serviceGroup && this.groups.size === 0) removeGroup(this.fsOps, this.serviceGroup);
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = reason;
    this.options.log(`Local Lambda: no CPU share per environment, environments run unlimited: ${reason}`);
  }
}

/**
 * Lambda's CPU share for each execution environment: a cgroup per environment (v1 `cpu` or v2 `cpu.max`) capping
 * its process to the vCPUs Lambda gives its memory size. Where no cgroup can be made, it says so once and runs
 * environments unlimited. Groups live under one group per service and are removed when their environment exits.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

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

/** The file operations used on the cgroup filesystem; tests pass a fake kernel. */
export interface CgroupFs {
  exists(file: string): boolean;
  read(file: string): string;
  write(file: string, text: string): void;
  mkdir(dir: string): void;
  rmdir(dir: string): void;
  list(dir: string): string[];
}

export const REAL_CGROUP_FS: CgroupFs = {
  exists: (file) => fs.existsSync(file),
  read: (file) => fs.readFileSync(file, 'utf8'),
  write: (file, text) => fs.writeFileSync(file, text),
  mkdir: (dir) => fs.mkdirSync(dir),
  rmdir: (dir) => fs.rmdirSync(dir),
  list: (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
};

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

type Flavour = { version: 'v1' | 'v2'; base: string };

const GROUP_PREFIX = 'shopflow-lambda-';

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(err);
}

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
    const cgroupRoot = path.join(options.root ?? '/', 'sys', 'fs', 'cgroup');
    let flavour: Flavour | string;
    try {
      flavour = this.detect(cgroupRoot);
    } catch (err) {
      flavour = `cannot read ${cgroupRoot} (${errorText(err)})`;
    }
    if (typeof flavour === 'string') {
      this.giveUp(flavour);
      return;
    }
    this.sweepLeftovers(flavour.base);
    const group = path.join(flavour.base, `${GROUP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    try {
      if (flavour.version === 'v2') this.enableCpuController(flavour.base);
      this.fsOps.mkdir(group);
      if (flavour.version === 'v2') this.enableCpuController(group);
    } catch (err) {
      this.removeQuietly(group);
      this.giveUp(`cannot create a cgroup in ${flavour.base} (${errorText(err)}); run the service as root`);
      return;
    }
    this.version = flavour.version;
    this.serviceGroup = group;
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
    if (group && this.removeQuietly(group)) this.groups.delete(environmentId);
  }

  /** Removes every group this service made (call it after every environment's process has exited). */
  close(): void {
    for (const id of [...this.groups.keys()]) this.release(id);
    if (this.serviceGroup && this.groups.size === 0) this.removeQuietly(this.serviceGroup);
  }

  private detect(cgroupRoot: string): Flavour | string {
    const v1 = path.join(cgroupRoot, 'cpu');
    if (this.fsOps.exists(path.join(v1, 'cpu.cfs_quota_us'))) return { version: 'v1', base: v1 };
    for (const base of [cgroupRoot, path.join(cgroupRoot, 'unified')]) {
      const controllers = path.join(base, 'cgroup.controllers');
      if (this.fsOps.exists(controllers) && this.fsOps.read(controllers).split(/\s+/).includes('cpu'))
        return { version: 'v2', base };
    }
    return `no cgroup CPU controller under ${cgroupRoot} (neither v1 cpu/ nor v2 with the cpu controller)`;
  }

  /** cgroup v2: children get cpu.max only when their parent delegates the cpu controller. */
  private enableCpuController(group: string): void {
    const control = path.join(group, 'cgroup.subtree_control');
    if (!this.fsOps.read(control).split(/\s+/).includes('cpu')) this.fsOps.write(control, '+cpu');
  }

  /** Groups of services that died without closing (their pid is gone): emptied groups are removed. */
  private sweepLeftovers(base: string): void {
    let names: string[];
    try {
      names = this.fsOps.list(base).filter((n) => n.startsWith(GROUP_PREFIX));
    } catch {
      return;
    }
    for (const name of names) {
      const pid = Number(/^shopflow-lambda-(\d+)-/.exec(name)?.[1]);
      if (!pid || pid === process.pid || isAlive(pid)) continue;
      const group = path.join(base, name);
      for (const child of safeList(this.fsOps, group)) this.removeQuietly(path.join(group, child));
      this.removeQuietly(group);
    }
  }

  private removeQuietly(dir: string): boolean {
    try {
      if (this.fsOps.exists(dir)) this.fsOps.rmdir(dir);
      return true;
    } catch {
      return false;
    }
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = reason;
    this.options.log(`Local Lambda: no CPU share per environment, environments run unlimited: ${reason}`);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function safeList(fsOps: CgroupFs, dir: string): string[] {
  try {
    return fsOps.list(dir);
  } catch {
    return [];
  }
}

/**
 * Lambda's memory limit for each execution environment: a cgroup per environment (v1 `memory` or v2 `memory.max`)
 * holding its process to the function's memory size, with no swap, so the kernel's OOM killer ends a function that
 * uses more, as on Lambda. The group's oom_kill counter then tells an out-of-memory kill from any other SIGKILL.
 * Where no cgroup can be made, it says so once and runs environments unlimited. Groups live under one group per
 * service and are removed when their environment exits.
 */

import path from 'node:path';
import {
  openServiceGroup,
  REAL_CGROUP_FS,
  delegateController,
  errorText,
  removeGroup,
  type CgroupFs,
  type Controller,
} from './cgroup-tree';
import { LOCAL_LAMBDA_DEFAULTS } from './settings';

const BYTES_PER_MB = 1024 * 1024;

/** SHOPFLOW_LAMBDA_MEMORY_LIMIT=off turns the limit off for any service not told otherwise. */
export function memoryLimitWanted(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option;
  const raw = env.SHOPFLOW_LAMBDA_MEMORY_LIMIT?.trim().toLowerCase();
  if (raw === 'off' || raw === '0' || raw === 'false') return false;
  return LOCAL_LAMBDA_DEFAULTS.memoryLimit;
}

export interface MemoryLimitOptions {
  /** Where the cgroup filesystem is found: `<root>/sys/fs/cgroup`. Default `/`. */
  root?: string;
  cgroupFs?: CgroupFs;
  /** Says, once, why environments run without a memory limit. */
  log: (line: string) => void;
}

/** What a spawned environment got: its group and limit. */
export interface AppliedLimit {
  group: string;
  limitBytes: number;
}

const GROUP_PREFIX = 'shopflow-lambda-memory-';
const MEMORY_CONTROLLER: Controller = { name: 'memory', v1File: 'memory.limit_in_bytes', label: 'memory' };

export class MemoryLimits {
  /** Why environments run without a memory limit, when they do (said once through `log`). */
  unavailable?: string;
  readonly version?: 'v1' | 'v2';
  private readonly base?: string;
  private readonly serviceGroup?: string;
  private failed = false;
  /** Each environment's group, and whether this service made it (v2 may limit the CPU share's group instead). */
  private readonly groups = new Map<string, { group: string; owned: boolean }>();
  private readonly fsOps: CgroupFs;

  /** `enabled: false` is the off switch: nothing is created and nothing is said. */
  constructor(
    enabled: boolean,
    private readonly options: MemoryLimitOptions,
  ) {
    this.fsOps = options.cgroupFs ?? REAL_CGROUP_FS;
    if (!enabled) return;
    const opened = openServiceGroup(this.fsOps, options.root ?? '/', MEMORY_CONTROLLER, GROUP_PREFIX);
    if (typeof opened === 'string') {
      this.giveUp(opened);
      return;
    }
    this.version = opened.version;
    this.base = opened.base;
    this.serviceGroup = opened.group;
  }

  get applies(): boolean {
    return this.serviceGroup !== undefined && !this.failed;
  }

  /** One phrase for reports: the limit applied, or why environments run unlimited. */
  describe(): string {
    if (this.applies) return `the function's memory size (cgroup ${this.version}, no swap)`;
    return `unlimited (${this.unavailable ?? 'memory limit turned off'})`;
  }

  /**
   * Holds the environment's process to `memoryMb`, without swap. cgroup v2 has one hierarchy, so a process in
   * the CPU share's group (`sharedGroup`) is limited there; otherwise (and always on v1) it gets a group of its own.
   */
  apply(environmentId: string, pid: number, memoryMb: number, sharedGroup?: string): AppliedLimit | undefined {
    if (!this.serviceGroup || this.failed) return undefined;
    const limitBytes = memoryMb * BYTES_PER_MB;
    const shared = this.version === 'v2' && sharedGroup !== undefined;
    const group = shared ? sharedGroup : path.join(this.serviceGroup, environmentId);
    try {
      if (shared) {
        // Every group from the root down to the shared one must delegate the memory controller.
        const chain: string[] = [];
        for (let dir = path.dirname(group); dir.startsWith(this.base!) && dir !== this.base; dir = path.dirname(dir))
          chain.unshift(dir);
        for (const dir of chain) delegateController(this.fsOps, dir, 'memory');
      } else {
        this.fsOps.mkdir(group);
      }
      this.groups.set(environmentId, { group, owned: !shared });
      if (this.version === 'v1') {
        this.fsOps.write(path.join(group, 'memory.limit_in_bytes'), String(limitBytes));
        // Without swap accounting the kernel has no memsw files; with it, swap counts against the same limit.
        const memsw = path.join(group, 'memory.memsw.limit_in_bytes');
        if (this.fsOps.exists(memsw)) this.fsOps.write(memsw, String(limitBytes));
      } else {
        this.fsOps.write(path.join(group, 'memory.max'), String(limitBytes));
        const swap = path.join(group, 'memory.swap.max');
        if (this.fsOps.exists(swap)) this.fsOps.write(swap, '0');
      }
      if (!shared) this.fsOps.write(path.join(group, 'cgroup.procs'), String(pid));
    } catch (err) {
      this.release(environmentId);
      this.failed = true;
      this.giveUp(`cannot put an environment in ${group} (${errorText(err)})`);
      return undefined;
    }
    return { group, limitBytes };
  }

  /** Whether the kernel's OOM killer killed a process of the environment's group (read it before `release`). */
  oomKilled(environmentId: string): boolean {
    const entry = this.groups.get(environmentId);
    if (!entry) return false;
    const file = path.join(entry.group, this.version === 'v1' ? 'memory.oom_control' : 'memory.events');
    try {
      const count = /^oom_kill (\d+)$/m.exec(this.fsOps.read(file))?.[1];
      return Number(count ?? 0) > 0;
    } catch {
      return false;
    }
  }

  /** Removes the environment's group once its process has exited; a group still busy is retried at close. */
  release(environmentId: string): void {
    const entry = this.groups.get(environmentId);
    if (!entry) return;
    if (!entry.owned || removeGroup(this.fsOps, entry.group)) this.groups.delete(environmentId);
  }

  /** Removes every group this service made (call it after every environment's process has exited). */
  close(): void {
    for (const id of [...this.groups.keys()]) this.release(id);
    if (this.serviceGroup && this.groups.size === 0) removeGroup(this.fsOps, this.serviceGroup);
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = reason;
    this.options.log(`Local Lambda: no memory limit per environment, environments run unlimited: ${reason}`);
  }
}

/**
 * A cgroup filesystem in memory for the CPU share's and the memory limit's unit tests: a new group gets the
 * interface files the kernel would give it (its controller's, as `controller` says), a v2 group's controller files
 * only once its parent delegates that controller, and rmdir refuses a group that still has children.
 */

import path from 'node:path';
import type { CgroupFs } from '../../machinery/lambda-local/cgroup-tree';

/** The files one controller puts in a hierarchy's root and in each new group. */
export interface FakeController {
  name: string;
  /** v1: the root's file that proves the hierarchy is mounted. */
  v1Root: Record<string, string>;
  /** v2: the root's subtree_control as found (another controller already delegated). */
  v2RootSubtree: string;
  v1Group: (options: { swapAccounting: boolean }) => Record<string, string>;
  v2Group: Record<string, string>;
}

export class FakeCgroupFs implements CgroupFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  failOn?: { op: 'mkdir' | 'write'; code: string };

  constructor(
    private readonly controller: FakeController,
    readonly version: 'v1' | 'v2',
    base: string,
    private readonly swapAccounting = true,
  ) {
    this.dirs.add(base);
    if (version === 'v1') for (const [name, text] of Object.entries(controller.v1Root)) this.set(base, name, text);
    else {
      this.set(base, 'cgroup.controllers', 'cpuset cpu io memory pids');
      this.set(base, 'cgroup.subtree_control', controller.v2RootSubtree);
    }
  }

  exists = (file: string) => this.dirs.has(file) || this.files.has(file);
  read = (file: string) => {
    const text = this.files.get(file);
    if (text === undefined) throw Object.assign(new Error(`ENOENT ${file}`), { code: 'ENOENT' });
    return text;
  };
  write = (file: string, text: string) => {
    this.fail('write');
    if (!this.files.has(file)) throw Object.assign(new Error(`ENOENT ${file}`), { code: 'ENOENT' });
    const control = path.basename(file) === 'cgroup.subtree_control';
    this.files.set(file, control ? `${this.files.get(file)} ${text.replace('+', '')}`.trim() : text);
  };
  mkdir = (dir: string) => {
    this.fail('mkdir');
    if (this.dirs.has(dir)) throw Object.assign(new Error(`EEXIST ${dir}`), { code: 'EEXIST' });
    this.dirs.add(dir);
    this.set(dir, 'cgroup.procs', '');
    const groupFiles =
      this.version === 'v1' ? this.controller.v1Group({ swapAccounting: this.swapAccounting }) : this.v2GroupFiles(dir);
    for (const [name, text] of Object.entries(groupFiles)) this.set(dir, name, text);
  };
  rmdir = (dir: string) => {
    if (this.list(dir).length > 0) throw Object.assign(new Error(`EBUSY ${dir}`), { code: 'EBUSY' });
    this.dirs.delete(dir);
    for (const file of [...this.files.keys()]) if (path.dirname(file) === dir) this.files.delete(file);
  };
  list = (dir: string) => [...this.dirs].filter((d) => path.dirname(d) === dir).map((d) => path.basename(d));

  /** v2: a group's controller files exist only when its parent delegates the controller. */
  private v2GroupFiles(dir: string): Record<string, string> {
    const delegated = this.files.get(path.join(path.dirname(dir), 'cgroup.subtree_control')) ?? '';
    return {
      'cgroup.subtree_control': '',
      ...(delegated.split(' ').includes(this.controller.name) && this.controller.v2Group),
    };
  }

  private set(dir: string, name: string, text: string): void {
    this.files.set(path.join(dir, name), text);
  }

  private fail(op: 'mkdir' | 'write'): void {
    if (this.failOn?.op === op)
      throw Object.assign(new Error(`${this.failOn.code} (fake)`), { code: this.failOn.code });
  }
}

export const FAKE_CPU: FakeController = {
  name: 'cpu',
  v1Root: { 'cpu.cfs_quota_us': '-1' },
  v2RootSubtree: 'memory',
  v1Group: () => ({ 'cpu.cfs_quota_us': '-1', 'cpu.cfs_period_us': '100000' }),
  v2Group: { 'cpu.max': 'max 100000' },
};

const UNLIMITED = '9223372036854771712';

export const FAKE_MEMORY: FakeController = {
  name: 'memory',
  v1Root: { 'memory.limit_in_bytes': UNLIMITED },
  v2RootSubtree: 'cpu',
  v1Group: ({ swapAccounting }) => ({
    'memory.limit_in_bytes': UNLIMITED,
    ...(swapAccounting && { 'memory.memsw.limit_in_bytes': UNLIMITED }),
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
  }),
  v2Group: {
    'memory.max': 'max',
    'memory.swap.max': 'max',
    'memory.events': 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n',
  },
};

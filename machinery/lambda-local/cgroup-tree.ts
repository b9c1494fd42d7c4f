/**
 * The cgroup filesystem plumbing the CPU share (cpu-share.ts) and the memory limit (memory-limit.ts) share: finding
 * a controller (v1 or v2), delegating it to children, removing groups, and sweeping the groups of services that died
 * without closing. The file operations are injected so tests can pass a fake kernel.
 */

import fs from 'node:fs';
import path from 'node:path';

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

/** Where a controller's groups go: its v1 hierarchy, or the v2 unified tree. */
export type Flavour = { version: 'v1' | 'v2'; base: string };

export interface Controller {
  /** v2's name for it, and v1's hierarchy folder: `cpu`, `memory`. */
  name: string;
  /** A file only v1's hierarchy has, proving it is mounted: `cpu.cfs_quota_us`, `memory.limit_in_bytes`. */
  v1File: string;
  /** How refusals name it: "CPU", "memory". */
  label: string;
}

/** Where `controller` can be used under `cgroupRoot`, or why it cannot. */
export function detectController(fsOps: CgroupFs, cgroupRoot: string, controller: Controller): Flavour | string {
  const v1 = path.join(cgroupRoot, controller.name);
  if (fsOps.exists(path.join(v1, controller.v1File))) return { version: 'v1', base: v1 };
  for (const base of [cgroupRoot, path.join(cgroupRoot, 'unified')]) {
    const controllers = path.join(base, 'cgroup.controllers');
    if (fsOps.exists(controllers) && fsOps.read(controllers).split(/\s+/).includes(controller.name))
      return { version: 'v2', base };
  }
  return (
    `no cgroup ${controller.label} controller under ${cgroupRoot} ` +
    `(neither v1 ${controller.name}/ nor v2 with the ${controller.name} controller)`
  );
}

/** cgroup v2: children get the controller's files only when their parent delegates it. */
export function delegateController(fsOps: CgroupFs, group: string, name: string): void {
  const control = path.join(group, 'cgroup.subtree_control');
  if (!fsOps.read(control).split(/\s+/).includes(name)) fsOps.write(control, `+${name}`);
}

/** Removes an empty group; false when the kernel still holds it (a process not yet gone). */
export function removeGroup(fsOps: CgroupFs, dir: string): boolean {
  try {
    if (fsOps.exists(dir)) fsOps.rmdir(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Groups of services that died without closing: `<prefix><pid>-...` whose pid is gone, with their children. A live
 * service's groups, and this one's, are left.
 */
export function sweepLeftovers(fsOps: CgroupFs, base: string, prefix: string): void {
  let names: string[];
  try {
    names = fsOps.list(base).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const group = path.join(base, name);
    for (const child of safeList(fsOps, group)) removeGroup(fsOps, path.join(group, child));
    removeGroup(fsOps, group);
  }
}

export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(err);
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

/**
 * The service's own group for `controller` (its environments' groups go inside), after sweeping dead services'
 * groups; or why there can be none (no controller, not root), to be said once.
 */
export function openServiceGroup(
  fsOps: CgroupFs,
  root: string,
  controller: Controller,
  prefix: string,
): (Flavour & { group: string }) | string {
  const cgroupRoot = path.join(root, 'sys', 'fs', 'cgroup');
  let flavour: Flavour | string;
  try {
    flavour = detectController(fsOps, cgroupRoot, controller);
  } catch (err) {
    return `cannot read ${cgroupRoot} (${errorText(err)})`;
  }
  if (typeof flavour === 'string') return flavour;
  sweepLeftovers(fsOps, flavour.base, prefix);
  const group = path.join(flavour.base, `${prefix}${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    if (flavour.version === 'v2') delegateController(fsOps, flavour.base, controller.name);
    fsOps.mkdir(group);
    if (flavour.version === 'v2') delegateController(fsOps, group, controller.name);
  } catch (err) {
    removeGroup(fsOps, group);
    return `cannot create a cgroup in ${flavour.base} (${errorText(err)}); run the service as root`;
  }
  return { ...flavour, group };
}

/**
 * The mounts that give one execution environment Lambda's file system: a tmpfs of its EphemeralStorage.Size over
 * /tmp, private to it, and its code read-only (Lambda's /var/task). Pure: it only plans and writes the shell script
 * that `mount-sandbox.ts` runs inside the environment's own mount namespace.
 *
 * The code, the Node binary and the runtime client may live under /tmp themselves (CI clones into /tmp/ci7, tests
 * keep their state there): the tmpfs would hide them. The script therefore first changes into the host's /tmp, and
 * once the tmpfs covers it, binds each of them back into place, read-only, from there (`./<path>` is resolved from
 * the shell's working directory, which still is the host's /tmp).
 */

import path from 'node:path';

export interface MountPlanInput {
  /** The directory the tmpfs covers (`/tmp`, resolved). */
  tmpDir: string;
  /** The tmpfs's size: the function's EphemeralStorage.Size. */
  sizeMb: number;
  /** The unpacked code: read-only, and the runtime's working directory. */
  codeDir: string;
  /** What else the runtime reads (the Node binary's folder, the runtime client's): kept visible where /tmp hides it. */
  keep: string[];
  /**
   * Host folders every environment reads and writes as the host does, where /tmp would hide them: the local
   * stand-ins for what a function reaches over the network on AWS (the run's file journal, a shared ledger).
   */
  shared?: string[];
}

/** A read-only bind of `target` onto itself; `hidden` ones come from the host's /tmp, under the tmpfs. */
export interface ReadOnlyBind {
  target: string;
  hidden: boolean;
  /** A shared folder: bound back as it is, not read-only. */
  writable?: boolean;
}

export interface MountPlan {
  tmpDir: string;
  sizeMb: number;
  /** In mount order: a folder's bind comes before any bind inside it. */
  binds: ReadOnlyBind[];
  workDir: string;
}

/** The commands the script runs, by absolute path: a function's own PATH must not choose them. */
export interface MountTools {
  mount: string;
  mkdir: string;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

export function planMounts(input: MountPlanInput): MountPlan {
  const tmpDir = path.resolve(input.tmpDir);
  const codeDir = path.resolve(input.codeDir);
  const shared = (input.shared ?? []).map((p) => path.resolve(p));
  const keep = input.keep.map((p) => path.resolve(p));
  for (const wanted of [codeDir, ...keep, ...shared]) {
    if (isInside(tmpDir, wanted))
      throw new Error(`${wanted} holds ${tmpDir}: a private ${tmpDir} would hide it, so it cannot be kept visible`);
  }
  const hiddenByTmp = (p: string) => isInside(p, tmpDir);
  const outerFirst = (paths: string[]) =>
    paths.filter(hiddenByTmp).sort((a, b) => a.length - b.length || a.localeCompare(b));
  const binds: ReadOnlyBind[] = [];
  const broughtBack = (p: string) => binds.some((b) => b.hidden && isInside(p, b.target));
  // What /tmp hides comes back once (a folder brings what is inside it): the shared folders as they are, then what
  // the runtime reads, read-only.
  for (const p of outerFirst(shared)) if (!broughtBack(p)) binds.push({ target: p, hidden: true, writable: true });
  for (const p of outerFirst(keep)) if (!broughtBack(p)) binds.push({ target: p, hidden: true });
  // Last, the code, read-only wherever it is, even inside a shared folder (then it is visible at its own path).
  binds.push({ target: codeDir, hidden: hiddenByTmp(codeDir) && !broughtBack(codeDir) });
  return { tmpDir, sizeMb: input.sizeMb, binds, workDir: codeDir };
}

/** Quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The script run by `sh -c` in the new namespace; the runtime command follows as its arguments and replaces the
 * shell (exec: the same pid, so the cgroups, SIGSTOP/SIGCONT and the kill all reach the runtime itself).
 */
export function mountScript(plan: MountPlan, tools: MountTools): string {
  const q = shellQuote;
  const lines = [
    'set -e',
    // A handle on the host's /tmp: the working directory still reaches it once the tmpfs covers /tmp.
    `cd ${q(plan.tmpDir)}`,
    `${q(tools.mount)} -t tmpfs -o size=${plan.sizeMb}m,mode=1777 tmpfs ${q(plan.tmpDir)}`,
  ];
  for (const bind of plan.binds) {
    // -c (no canonicalizing): mount would otherwise turn ./<path> into /tmp/<path>, which is the tmpfs now.
    const source = bind.hidden ? `./${path.relative(plan.tmpDir, bind.target)}` : bind.target;
    if (bind.hidden) lines.push(`${q(tools.mkdir)} -p ${q(bind.target)}`);
    lines.push(`${q(tools.mount)} -c --bind ${q(source)} ${q(bind.target)}`);
    if (!bind.writable) lines.push(`${q(tools.mount)} -c -o remount,bind,ro ${q(bind.target)}`);
  }
  // Entered again after the binds: the old working directory would still be the writable code.
  lines.push(`cd ${q(plan.workDir)}`, 'exec "$@"');
  return lines.join('\n');
}

/** The folder to keep visible for a file the runtime command names: its package's node_modules, else its folder. */
export function folderToKeep(file: string): string {
  const resolved = path.resolve(file);
  const at = resolved.indexOf(`${path.sep}node_modules${path.sep}`);
  return at >= 0 ? resolved.slice(0, at + `${path.sep}node_modules`.length) : path.dirname(resolved);
}

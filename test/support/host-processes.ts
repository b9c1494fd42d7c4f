/**
 * Other processes, seen the same way on Linux and macOS: `ps` with the flags procps and BSD ps share, and for the
 * working directory /proc on Linux or lsof on macOS (each ships with its system).
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { currentHost, type HostPlatform } from '../../machinery/lambda-entry/host-platform';

function ps(args: string[]): { ok: boolean; stdout: string } {
  const result = spawnSync('ps', args, { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`could not run ps (${result.error.message}): install procps (Debian: apt-get install procps)`);
  }
  return { ok: result.status === 0, stdout: result.stdout };
}

/** The first letter of the process's state as ps shows it (T: stopped, S: sleeping, R: running); '' once it is gone. */
export function processState(pid: number): string {
  const { ok, stdout } = ps(['-o', 'stat=', '-p', String(pid)]);
  return ok ? stdout.trim().charAt(0) : '';
}

export function isRunning(pid: number): boolean {
  return ps(['-o', 'pid=', '-p', String(pid)]).ok;
}

/** "<pid> <command line>" of every other process whose command line contains `text`. */
export function processesMatching(text: string): string[] {
  return ps(['-A', '-ww', '-o', 'pid=,command='])
    .stdout.split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(text) && Number(line.split(' ')[0]) !== process.pid);
}

/** Pids of the processes whose working directory is inside `dir`. */
export function processesIn(dir: string, host: HostPlatform = currentHost()): string[] {
  if (host.os === 'linux') {
    return fs.readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        return fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    });
  }
  // lsof -F: a "p<pid>" line, then "n<path>" for its cwd. It exits 1 when some process could not be read.
  const result = spawnSync('lsof', ['-a', '-d', 'cwd', '-F', 'pn'], { encoding: 'utf8' });
  if (result.error) throw new Error(`could not run lsof (${result.error.message}); it ships with macOS`);
  const found: string[] = [];
  let pid = '';
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('p')) pid = line.slice(1);
    else if (line.startsWith('n') && line.slice(1).startsWith(dir)) found.push(pid);
  }
  return found;
}

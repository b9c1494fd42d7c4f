/**
 * An environment process's peak resident memory, for the REPORT line's `Max Memory Used` as Lambda prints it.
 * Linux keeps the peak itself (VmHWM in /proc/<pid>/status); elsewhere `ps` gives the resident size now, and the
 * highest reading seen is kept, so the figure is a lower bound sampled at each invocation's end.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const KIB_PER_MIB = 1024;

/** Peak resident set size in KiB from /proc (Linux), or undefined when there is no such file or field. */
export function procPeakRssKib(
  pid: number,
  readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8'),
): number | undefined {
  let status: string;
  try {
    status = readFile(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Resident set size now in KiB from `ps` (macOS, BSD); undefined when ps fails or the process is gone. */
export function psRssKib(pid: number): number | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    });
    const kib = Number(out.trim());
    return Number.isFinite(kib) && kib > 0 ? kib : undefined;
  } catch {
    return undefined;
  }
}

/** Tracks one process's peak memory across readings; a reading that fails keeps the last peak. */
export class PeakMemory {
  private peakKib = 0;

  constructor(private readonly readers: ((pid: number) => number | undefined)[] = [procPeakRssKib, psRssKib]) {}

  /** Reads the process now and returns the peak so far in MB (as Lambda rounds it), or undefined if never read. */
  sample(pid: number | undefined): number | undefined {
    if (pid !== undefined) {
      for (const read of this.readers) {
        const kib = read(pid);
        if (kib !== undefined) {
          this.peakKib = Math.max(this.peakKib, kib);
          break;
        }
      }
    }
    return this.peakKib > 0 ? Math.ceil(this.peakKib / KIB_PER_MIB) : undefined;
  }
}

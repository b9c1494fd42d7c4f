/** Stopping a child process and waiting until it is really gone, so whoever stops it leaves nothing behind. */

import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal`, then SIGKILL if the process is still there after `graceMs`, and resolves once it has exited
 * (a killed process lingers a moment: SIGKILL is not instant for a busy Node process).
 */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
  graceMs = 5_000,
): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return; // never started, or gone
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

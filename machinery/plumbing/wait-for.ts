/** Waiting for a condition with a deadline: it throws, naming what it waited for, instead of carrying on silently. */

import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  timeoutMs: number;
  /** What is awaited, as it reads after "waiting for": shown in the error when the deadline passes. */
  what: string;
  intervalMs?: number;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await sleep(options.intervalMs ?? 50);
  }
}

/**
 * Faults of the ledger itself, and what must hold after them:
 * - a torn line: a writer that died mid-line leaves bytes without a newline (written here under the journal's lock,
 *   as a dying writer holds it); the next writer must move them to `<journal>.torn` and go on from a fresh line;
 * - a frozen lock holder: a journal writer stopped with SIGSTOP past the old 3 s stale time must still own its lock
 *   when it wakes; every other writer waited;
 * - ambiguous DynamoDB writes: counted by the fault proxy in front of the table (machinery/devstack/run-ledger.ts).
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lockJournal } from '../../activities/journal-lock';
import { PROJECT_ROOT } from '../plumbing/project-paths';
import type { Violation } from './invariants';

/** Past the old 3 s stale time, and under the 5 s heartbeat timeout of the activities that wait meanwhile. */
export const LOCK_STALL_MS = 4_000;
const HOLDER_START_LIMIT_MS = 30_000;

export interface LedgerFaultCounts {
  tornLines: number;
  lockStalls: number;
  /** Frozen holders that woke to find their lock taken over: must be 0. */
  locksLost: number;
  /** DynamoDB writes that committed and whose reply was then cut or turned into a 500. */
  ambiguousWrites: number;
}

export function noLedgerFaults(): LedgerFaultCounts {
  return { tornLines: 0, lockStalls: 0, locksLost: 0, ambiguousWrites: 0 };
}

/** Appends the start of an entry and no newline, under the lock, as a writer killed between two writes would. */
export async function tearJournalLine(journalPath: string, n: number): Promise<string> {
  const fragment = `{"key":"chaos-torn-${n}","effect":"charge","orderId":"cha`;
  const lock = await lockJournal(journalPath);
  try {
    lock.assertStillOwned();
    fs.appendFileSync(journalPath, fragment);
  } finally {
    await lock.release();
  }
  return fragment;
}

/** Starts a lock holder, freezes it for LOCK_STALL_MS, wakes it; resolves with whether it still owned its lock. */
export async function stallLockHolder(journalPath: string): Promise<{ stillOwned: boolean; detail: string }> {
  const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  const holder = spawn(tsx, [path.join(__dirname, 'lock-holder-process.ts'), journalPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  holder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  try {
    const lockedBy = Date.now() + HOLDER_START_LIMIT_MS;
    while (!output.includes('LOCKED') && Date.now() < lockedBy && holder.exitCode === null) await sleep(20);
    if (!output.includes('LOCKED')) return { stillOwned: true, detail: 'the holder never got the lock: skipped' };
    holder.kill('SIGSTOP');
    await sleep(LOCK_STALL_MS);
    holder.kill('SIGCONT');
    holder.stdin.end();
    await exited;
  } finally {
    if (holder.exitCode === null) holder.kill('SIGKILL');
  }
  const lost = /LOST: (.*)/.exec(output);
  return lost ? { stillOwned: false, detail: lost[1] } : { stillOwned: output.includes('STILL OWNED'), detail: output };
}

/** After the run: the journal is whole, every torn fragment was moved aside, and no frozen holder lost its lock. */
export function checkLedgerFaults(
  journalPath: string | undefined,
  counts: LedgerFaultCounts,
  fragments: readonly string[],
): Violation[] {
  const violations: Violation[] = [];
  if (counts.locksLost > 0)
    violations.push({
      invariant: 'lock-never-shared',
      detail: `${counts.locksLost} frozen lock holder(s) woke to find their lock taken over`,
    });
  if (journalPath && fragments.length > 0) {
    const tornFile = `${journalPath}.torn`;
    const moved = fs.existsSync(tornFile)
      ? fs
          .readFileSync(tornFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { bytes: string }).bytes)
      : [];
    // Two tears with no write between them leave one torn tail, moved aside as one record: look inside each.
    const missing = fragments.filter((f) => !moved.some((record) => record.includes(f)));
    if (missing.length > 0 || fs.readFileSync(journalPath, 'utf8').includes('chaos-torn-'))
      violations.push({
        invariant: 'torn-lines-repaired',
        detail: `${missing.length} of ${fragments.length} torn fragments were not moved to ${tornFile}`,
      });
  }
  return violations;
}

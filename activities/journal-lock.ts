/**
 * The journal's cross-process lock, with fencing: every writer of one journal file takes it before it reads the
 * file's tail and appends, and checks right before the append that the lock is still its own.
 *
 * proper-lockfile treats a lock whose directory has not been touched for `stale` ms as abandoned (a holder killed
 * with SIGKILL never releases it) and lets the next writer take it over. A holder that is alive but stalled (a
 * Lambda environment squeezed by its CPU share, a long GC pause, a process stopped with SIGSTOP) can lose its lock
 * that way. So the stale time is long (a stall of that length is far outside what any holder does between taking the
 * lock and appending), and each holder writes its token into an owner file that a taker overwrites: a holder whose
 * token is gone knows it lost the lock, and writes nothing.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Longer than any stall a live holder shows in practice; a SIGKILLed holder's lock is taken over after it. */
export const JOURNAL_LOCK_STALE_MS = 20_000;
/** How often a holder touches its lock (proper-lockfile requires at most half the stale time). */
const LOCK_UPDATE_MS = 2_000;

/** Raised when this writer's lock was taken over while it held it: nothing was written, the call may be retried. */
export class JournalLockLostError extends Error {
  constructor(
    readonly filePath: string,
    detail: string,
  ) {
    super(
      `lost the lock on the file journal ${filePath} while holding it (${detail}): another writer took it over ` +
        `after ${JOURNAL_LOCK_STALE_MS / 1000} s without a sign of life, so this write was abandoned and nothing was ` +
        'written. Retrying is safe; if it happens often, something stalls this process (CPU share, swap, SIGSTOP).',
    );
    this.name = 'JournalLockLostError';
  }
}

export interface JournalLockOptions {
  /** For tests that stall a holder past the stale time; every real writer uses the default. */
  staleMs?: number;
  /** How a compromised lock is reported (default: one warning line); never a throw from a timer. */
  report?: (message: string) => void;
}

export interface HeldJournalLock {
  /** Throws JournalLockLostError unless the lock is still this holder's: call it right before writing. */
  assertStillOwned(): void;
  release(): Promise<void>;
}

export function ownerFileOf(journalPath: string): string {
  return `${journalPath}.owner`;
}

export async function lockJournal(journalPath: string, options: JournalLockOptions = {}): Promise<HeldJournalLock> {
  const staleMs = options.staleMs ?? JOURNAL_LOCK_STALE_MS;
  const report = options.report ?? ((message: string) => console.warn(message));
  let compromised: string | undefined;
  fs.mkdirSync(path.dirname(journalPath), { recursive: true });
  const release = await lockfile.lock(journalPath, {
    realpath: false,
    stale: staleMs,
    update: Math.min(LOCK_UPDATE_MS, staleMs / 2),
    // Waits up to the stale time and a little more: a lock left by a killed holder is then taken over.
    retries: { retries: Math.ceil((staleMs + 5_000) / 50), minTimeout: 5, maxTimeout: 50 },
    // proper-lockfile's default throws from its update timer: an uncaught exception in the holder.
    onCompromised: (err) => {
      compromised = err.message;
      report(`shopflow journal: ${new JournalLockLostError(journalPath, err.message).message}`);
    },
  });
  const token = `${process.pid}:${randomUUID()}`;
  const ownerFile = ownerFileOf(journalPath);
  fs.writeFileSync(ownerFile, token);
  return {
    assertStillOwned() {
      if (compromised) throw new JournalLockLostError(journalPath, compromised);
      const owner = readOwner(ownerFile);
      if (owner !== token) throw new JournalLockLostError(journalPath, `the owner file names ${owner || 'nobody'}`);
    },
    async release() {
      // A compromised lock is no longer ours to release; proper-lockfile says so with an error we do not need.
      await release().catch(() => undefined);
    },
  };
}

function readOwner(ownerFile: string): string {
  try {
    return fs.readFileSync(ownerFile, 'utf8');
  } catch {
    return '';
  }
}

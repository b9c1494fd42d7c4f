/**
 * A journal writer for chaos to freeze: takes the journal's lock, says `LOCKED`, and waits. Chaos then stops it
 * with SIGSTOP past the old 3 s stale time and lets it go on with SIGCONT; it closes its stdin to say "done", and the
 * holder reports whether the lock was still its own (`STILL OWNED`) or had been taken over (`LOST: ...`).
 */

import { lockJournal } from '../../activities/journal-lock';

async function main(): Promise<void> {
  const journalPath = process.argv[2];
  const lock = await lockJournal(journalPath, { report: (message) => console.log(`REPORTED ${message}`) });
  console.log('LOCKED');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  try {
    lock.assertStillOwned();
    console.log('STILL OWNED');
  } catch (err) {
    console.log(`LOST: ${(err as Error).message}`);
  } finally {
    await lock.release();
  }
}

void main();

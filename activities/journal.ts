/**
 * The effect journal: every effect a simulated service makes (reserve, release, charge, refund, ship, cancel,
 * notify) is one JSON line, keyed by its idempotency key. It is the simulated services' ledger and the proof of
 * exactly-once effects. Several processes (the local worker, Lambda environments) may share one file, so every
 * check-then-append happens under a cross-process file lock (journal-lock.ts).
 *
 * It fails closed: a line that is not an entry stops every call (journal-format.ts), because an index with an entry
 * missing would record that effect again. The torn remains of a writer that died mid-line (bytes after the last
 * newline, found by the next lock holder) were never acknowledged to anyone: they are moved to `<file>.torn` and cut
 * off, so the next line starts on a fresh line instead of being glued onto them.
 */

import fs from 'node:fs';
import { parseJournalText } from './journal-format';
import { lockJournal, type HeldJournalLock, type JournalLockOptions } from './journal-lock';
import type { EffectLedger, ForwardBody } from './ledger/effect-ledger';

export type EffectKind = 'reserve' | 'release' | 'charge' | 'refund' | 'ship' | 'cancel-shipment' | 'notify';

export interface JournalEntry {
  /** The idempotency key: at most one entry per key, ever. */
  key: string;
  effect: EffectKind;
  orderId: string;
  /** For an undo: the key of the forward effect it undoes (or voids, when that effect never happened). */
  undoes?: string;
  result: unknown;
  worker: string;
  attempt: number;
  at: string;
}

export type NewEntryBody<T> = Omit<JournalEntry, 'at' | 'key' | 'result'> & { result: T };

export interface Recorded<T> {
  result: T;
  /** True when the key was already in the journal: nothing new happened. */
  deduplicated: boolean;
}

/** Raised when a forward effect arrives after its undo already ran (a zombie attempt): it must not happen. */
export class EffectVoidedError extends Error {
  constructor(readonly key: string) {
    super(`effect ${key} was already compensated; this late attempt is discarded`);
    this.name = 'EffectVoidedError';
  }
}

/** The file backend of the ledger: the embedded default for runs where every worker shares one machine. */
export class EffectJournal implements EffectLedger {
  private readonly byKey = new Map<string, JournalEntry>();
  private readonly undoneKeys = new Set<string>();
  /** Bytes of the file indexed so far: always the end of a complete line. */
  private offset = 0;
  /** Serialises this process's own callers so they do not contend for the file lock. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly filePath: string,
    private readonly lockOptions: JournalLockOptions = {},
  ) {}

  get description(): string {
    return `file journal ${this.filePath}`;
  }

  /** Where the torn remains of dead writers are kept (they were never entries, but nothing is thrown away). */
  get tornFilePath(): string {
    return `${this.filePath}.torn`;
  }

  /**
   * The entry recorded under `key`, if any (reads what other processes appended). No file lock: the file is only
   * ever appended to and bytes after the last newline are not an entry, so a reader sees a consistent prefix;
   * whoever then records an effect re-checks under the lock.
   */
  async find(key: string): Promise<JournalEntry | undefined> {
    return this.serialised(async () => {
      this.catchUp();
      return this.byKey.get(key);
    });
  }

  /**
   * Records the effect that `build` describes under `key`, unless the key is already there: then the first result
   * is returned and nothing is written. `build` runs under the lock and may look up other entries, so "look at the
   * forward effect, then record its undo" is atomic across processes. A forward effect whose undo already ran is
   * refused with EffectVoidedError: it must not happen after it was compensated.
   */
  async recordOnce<T>(
    key: string,
    build: (lookup: (key: string) => JournalEntry | undefined) => NewEntryBody<T>,
  ): Promise<Recorded<T>> {
    return this.locked(async (lock) => {
      const existing = this.byKey.get(key);
      if (existing) return { result: existing.result as T, deduplicated: true };
      if (this.undoneKeys.has(key)) throw new EffectVoidedError(key);
      const entry: JournalEntry = { key, ...build((k) => this.byKey.get(k)), at: new Date().toISOString() };
      lock.assertStillOwned();
      this.append(`${JSON.stringify(entry)}\n`);
      this.index(entry);
      return { result: entry.result as T, deduplicated: false };
    });
  }

  async recordUndo<T>(
    key: string,
    undoes: string,
    build: (original: JournalEntry | undefined) => ForwardBody<T>,
  ): Promise<Recorded<T>> {
    return this.recordOnce<T>(key, (lookup) => ({ ...build(lookup(undoes)), undoes }));
  }

  /** Every entry, oldest first. */
  async entries(): Promise<JournalEntry[]> {
    return this.locked(async () => [...this.byKey.values()]);
  }

  async entriesForOrder(orderId: string): Promise<JournalEntry[]> {
    return (await this.entries()).filter((entry) => entry.orderId === orderId);
  }

  /** Nothing to release: every call opens and closes the file itself. */
  async close(): Promise<void> {}

  /** Runs `fn` after this process's earlier journal calls, so they never interleave (one reader of the file at a time). */
  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Under the lock: caught up with every complete line, a torn tail repaired, then `fn`. */
  private async locked<T>(fn: (lock: HeldJournalLock) => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      const lock = await lockJournal(this.filePath, this.lockOptions);
      try {
        const tornBytes = this.catchUp();
        if (tornBytes > 0) this.repairTornTail(lock);
        return await fn(lock);
      } finally {
        await lock.release();
      }
    });
  }

  /**
   * Indexes the complete lines appended since the last read, by any process; returns how many bytes follow the
   * last newline. Throws JournalCorruptError on a line that is not an entry, and stays before it, so every later
   * call throws too. Synchronous: a writer goes from this read to its append without yielding.
   */
  private catchUp(): number {
    let fd: number;
    try {
      fd = fs.openSync(this.filePath, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    try {
      const { size } = fs.fstatSync(fd);
      if (size < this.offset) {
        // The file was replaced (for example deleted between test runs): start over.
        this.byKey.clear();
        this.undoneKeys.clear();
        this.offset = 0;
      }
      if (size === this.offset) return 0;
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      const parsed = parseJournalText(buffer.toString('utf8'), this.filePath, this.offset);
      for (const entry of parsed.entries) this.index(entry);
      this.offset += parsed.consumedBytes;
      return size - this.offset;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Bytes after the last newline, seen by the lock holder, belong to a writer that died or failed mid-line: its
   * call never returned, so no caller relies on them. They are kept in the .torn file and cut off.
   */
  private repairTornTail(lock: HeldJournalLock): void {
    const fd = fs.openSync(this.filePath, 'r+');
    let tornLength = 0;
    try {
      tornLength = fs.fstatSync(fd).size - this.offset;
      const torn = Buffer.alloc(tornLength);
      fs.readSync(fd, torn, 0, torn.length, this.offset);
      const record = { at: new Date().toISOString(), byteOffset: this.offset, bytes: torn.toString('utf8') };
      fs.appendFileSync(this.tornFilePath, `${JSON.stringify(record)}\n`);
      lock.assertStillOwned();
      fs.ftruncateSync(fd, this.offset);
    } finally {
      fs.closeSync(fd);
    }
    console.warn(
      `shopflow journal: ${this.filePath} ended with ${tornLength} torn bytes at byte ${this.offset} ` +
        `(a writer died mid-line); they were moved to ${this.tornFilePath} and the journal goes on from a fresh line`,
    );
  }

  /** Appends one line; a short or failed write is cut back off, so it never leaves a torn line behind. */
  private append(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    const fd = fs.openSync(this.filePath, 'a');
    try {
      let written = 0;
      try {
        written = fs.writeSync(fd, bytes);
      } finally {
        if (written !== bytes.length) fs.ftruncateSync(fd, this.offset);
      }
      if (written !== bytes.length) {
        throw new Error(`short write to the file journal ${this.filePath}: ${written} of ${bytes.length} bytes`);
      }
      this.offset += bytes.length;
    } finally {
      fs.closeSync(fd);
    }
  }

  private index(entry: JournalEntry): void {
    if (!this.byKey.has(entry.key)) this.byKey.set(entry.key, entry);
    if (entry.undoes) this.undoneKeys.add(entry.undoes);
  }
}

/**
 * The effect journal: every effect a simulated service makes (reserve, release, charge, refund, ship, cancel,
 * notify) is one JSON line, keyed by its idempotency key. It is the simulated services' ledger and the proof of
 * exactly-once effects. Several processes (the local worker, Lambda environments) may share one file, so every
 * check-then-append happens under a cross-process file lock.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
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
  private offset = 0;
  private carry = '';
  /** Serialises this process's own callers so they do not contend for the file lock. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly filePath: string) {}

  get description(): string {
    return `file journal ${this.filePath}`;
  }

  /**
   * The entry recorded under `key`, if any (reads what other processes appended). No file lock: the file is only
   * ever appended to and a half-written last line waits for the next read, so a reader sees a consistent prefix;
   * whoever then records an effect re-checks under the lock.
   */
  async find(key: string): Promise<JournalEntry | undefined> {
    return this.serialised(async () => {
      await this.catchUp();
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
    return this.locked(async () => {
      const existing = this.byKey.get(key);
      if (existing) return { result: existing.result as T, deduplicated: true };
      if (this.undoneKeys.has(key)) throw new EffectVoidedError(key);
      const entry: JournalEntry = { key, ...build((k) => this.byKey.get(k)), at: new Date().toISOString() };
      const line = `${JSON.stringify(entry)}\n`;
      await fs.appendFile(this.filePath, line, 'utf8');
      this.offset += Buffer.byteLength(line);
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

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      await fs.mkdir(path.dirname(this.filePath), { recursive: true });
      const release = await lockfile.lock(this.filePath, {
        realpath: false,
        // A holder killed with SIGKILL leaves its lock behind; after 3 s it is considered stale and taken over.
        stale: 3_000,
        update: 1_000,
        retries: { retries: 400, minTimeout: 5, maxTimeout: 50 },
      });
      try {
        await this.catchUp();
        return await fn();
      } finally {
        await release();
      }
    });
  }

  /** Reads only what was appended since the last read, by any process. */
  private async catchUp(): Promise<void> {
    let handle;
    try {
      handle = await fs.open(this.filePath, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) {
        // The file was replaced (for example deleted between test runs): start over.
        this.byKey.clear();
        this.undoneKeys.clear();
        this.offset = 0;
        this.carry = '';
      }
      if (size === this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.carry + buffer.toString('utf8')).split('\n');
      this.carry = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim()) this.index(JSON.parse(line) as JournalEntry);
      }
    } finally {
      await handle.close();
    }
  }

  private index(entry: JournalEntry): void {
    if (!this.byKey.has(entry.key)) this.byKey.set(entry.key, entry);
    if (entry.undoes) this.undoneKeys.add(entry.undoes);
  }
}

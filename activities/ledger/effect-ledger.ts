/**
 * The services' ledger: what every simulated service records, one entry per idempotency key, in a store that
 * every worker (the laptop's, each Lambda environment) must share for effects to happen exactly once.
 */

import type { JournalEntry, NewEntryBody, Recorded } from '../journal';

/** A forward effect's entry as a service describes it (the ledger adds the key and the time). */
export type ForwardBody<T> = Omit<NewEntryBody<T>, 'undoes'>;

/**
 * The rules every backend keeps, also under concurrent writers:
 * - at most one entry per idempotency key; a second record returns the first result (`deduplicated`);
 * - an undo looks at its forward effect and is recorded atomically with what it saw;
 * - a forward effect that arrives after its undo (a zombie attempt) is refused with EffectVoidedError.
 */
export interface EffectLedger {
  /** Where the entries live, for logs and error messages (never a secret). */
  readonly description: string;
  /** The entry recorded under `key`, if any (a voided forward key has none). */
  find(key: string): Promise<JournalEntry | undefined>;
  /** Records a forward effect once. Throws EffectVoidedError when its undo already ran. */
  recordOnce<T>(key: string, build: () => ForwardBody<T>): Promise<Recorded<T>>;
  /**
   * Records the undo of the forward effect `undoes` once; `build` is given that effect's entry, or undefined when
   * it never happened (it is then voided for good).
   */
  recordUndo<T>(
    key: string,
    undoes: string,
    build: (original: JournalEntry | undefined) => ForwardBody<T>,
  ): Promise<Recorded<T>>;
  /** Every entry, oldest first. */
  entries(): Promise<JournalEntry[]>;
  /** One order's entries, oldest first. */
  entriesForOrder(orderId: string): Promise<JournalEntry[]>;
  /** Releases connections; the ledger is not used afterwards. */
  close(): Promise<void>;
}

/** Oldest first; entries recorded in the same millisecond keep a stable order by key. */
export function byTimeThenKey(a: JournalEntry, b: JournalEntry): number {
  return a.at === b.at ? a.key.localeCompare(b.key) : a.at.localeCompare(b.at);
}

/**
 * The journal file's format: one JSON entry per line, each line ending with a newline. Bytes after the last newline
 * are a write still in progress, or the torn remains of a writer that died in the middle of one; they are not an
 * entry. A complete line that is not an entry means the file was damaged, and the journal refuses to go on: with an
 * entry missing from its index it could record a charge a second time.
 */

import type { JournalEntry } from './journal';

/** Raised by every journal call while the file holds a line that is not an entry: nothing is read past it. */
export class JournalCorruptError extends Error {
  constructor(
    readonly filePath: string,
    readonly byteOffset: number,
    line: string,
  ) {
    const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    super(
      `the file journal ${filePath} is damaged at byte ${byteOffset}: the line there is not a journal entry ` +
        `(${JSON.stringify(shown)}). Every journal call stops until it is repaired, so that no effect is recorded ` +
        'twice from a partial index. Fix: stop the workers, move that line out of the file (keep a copy to see which ' +
        'effect it held), then start them again.',
    );
    this.name = 'JournalCorruptError';
  }
}

export interface ParsedJournal {
  entries: JournalEntry[];
  /** Bytes of `text` that were complete lines; what follows is not an entry (yet). */
  consumedBytes: number;
}

/** Parses the complete lines of `text`, which starts at byte `startOffset` of `filePath`. */
export function parseJournalText(text: string, filePath: string, startOffset = 0): ParsedJournal {
  const entries: JournalEntry[] = [];
  let consumed = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', consumed)) {
    const line = text.slice(consumed, end);
    if (line.trim()) {
      const entry = parseEntry(line);
      if (!entry)
        throw new JournalCorruptError(filePath, startOffset + Buffer.byteLength(text.slice(0, consumed)), line);
      entries.push(entry);
    }
    consumed = end + 1;
  }
  return { entries, consumedBytes: Buffer.byteLength(text.slice(0, consumed)) };
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const value = JSON.parse(line) as Partial<JournalEntry> | null;
    const isEntry =
      typeof value === 'object' &&
      value !== null &&
      typeof value.key === 'string' &&
      typeof value.effect === 'string' &&
      typeof value.orderId === 'string';
    return isEntry ? (value as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

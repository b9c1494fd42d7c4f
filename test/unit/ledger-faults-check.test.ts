/** Chaos's check that every torn journal line was moved aside, on journals written by hand. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLedgerFaults, noLedgerFaults } from '../../machinery/chaos/ledger-faults';

const first = '{"key":"chaos-torn-1","effect":"charge","orderId":"cha';
const second = '{"key":"chaos-torn-2","effect":"charge","orderId":"cha';

function journalWith(lines: string, tornRecords: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopflow-torn-'));
  const journal = path.join(dir, 'journal.jsonl');
  fs.writeFileSync(journal, lines);
  if (tornRecords.length > 0)
    fs.writeFileSync(`${journal}.torn`, tornRecords.map((bytes) => `${JSON.stringify({ bytes })}\n`).join(''));
  return journal;
}

test('each fragment moved aside on its own: no violation', () => {
  const journal = journalWith('{"key":"a"}\n', [first, second]);
  expect(checkLedgerFaults(journal, noLedgerFaults(), [first, second])).toEqual([]);
});

test('two tears with no write between them, moved aside as one record: no violation', () => {
  const journal = journalWith('{"key":"a"}\n', [first + second]);
  expect(checkLedgerFaults(journal, noLedgerFaults(), [first, second])).toEqual([]);
});

test('a fragment never moved aside, or one left in the journal, is a violation', () => {
  const notMoved = journalWith('{"key":"a"}\n', [first]);
  expect(checkLedgerFaults(notMoved, noLedgerFaults(), [first, second])).toEqual([
    expect.objectContaining({ invariant: 'torn-lines-repaired', detail: expect.stringMatching(/^1 of 2 torn/) }),
  ]);
  const leftInJournal = journalWith(`{"key":"a"}\n${second}`, [first, second]);
  expect(checkLedgerFaults(leftInJournal, noLedgerFaults(), [first, second])).toEqual([
    expect.objectContaining({ invariant: 'torn-lines-repaired' }),
  ]);
});

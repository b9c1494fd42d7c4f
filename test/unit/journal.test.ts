/** The effect journal: exactly one entry per idempotency key, also when several processes write at once. */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EffectJournal, EffectVoidedError } from '../../activities/journal';

const run = promisify(execFile);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
});

const entry = (result: unknown) => () => ({
  effect: 'charge' as const,
  orderId: 'o1',
  result,
  worker: 'w',
  attempt: 1,
});

test('the second call with the same key returns the first result and writes nothing', async () => {
  const journal = new EffectJournal(path.join(dir, 'j.jsonl'));
  expect(await journal.recordOnce('k1', entry({ n: 1 }))).toEqual({ result: { n: 1 }, deduplicated: false });
  expect(await journal.recordOnce('k1', entry({ n: 2 }))).toEqual({ result: { n: 1 }, deduplicated: true });
  expect(fs.readFileSync(journal.filePath, 'utf8').trim().split('\n')).toHaveLength(1);
});

test('a second journal object (another process) sees what the first appended', async () => {
  const file = path.join(dir, 'j.jsonl');
  await new EffectJournal(file).recordOnce('k1', entry('first'));
  const other = new EffectJournal(file);
  expect((await other.find('k1'))?.result).toBe('first');
  expect((await other.recordOnce('k1', entry('second'))).deduplicated).toBe(true);
});

test('an undo recorded before its forward effect voids that effect', async () => {
  const journal = new EffectJournal(path.join(dir, 'j.jsonl'));
  await journal.recordOnce('wf:refundPayment', (lookup) => ({
    effect: 'refund',
    orderId: 'o1',
    undoes: 'wf:chargeCustomer',
    result: { undone: Boolean(lookup('wf:chargeCustomer')) },
    worker: 'w',
    attempt: 1,
  }));
  await expect(journal.recordOnce('wf:chargeCustomer', entry('late'))).rejects.toBeInstanceOf(EffectVoidedError);
  expect(await journal.find('wf:chargeCustomer')).toBeUndefined();
});

test('four processes racing on the same 25 keys write exactly 25 entries', async () => {
  const file = path.join(dir, 'race.jsonl');
  const script = `
    const { EffectJournal } = require(${JSON.stringify(path.resolve(__dirname, '../../activities/journal'))});
    const journal = new EffectJournal(${JSON.stringify(file)});
    Promise.all(Array.from({ length: 25 }, (_, i) => journal.recordOnce('key-' + i, () => ({
      effect: 'charge', orderId: 'o' + i, result: process.pid, worker: String(process.pid), attempt: 1,
    })))).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });`;
  const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
  await Promise.all(Array.from({ length: 4 }, () => run(tsx, ['-e', script])));
  const lines = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { key: string });
  expect(lines).toHaveLength(25);
  expect(new Set(lines.map((l) => l.key)).size).toBe(25);
});

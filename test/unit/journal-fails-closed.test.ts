/**
 * The file journal fails closed: a torn line, a damaged line and a lock holder that stalls never let an effect be
 * recorded twice, and never crash a process from a timer.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EffectJournal } from '../../activities/journal';
import { JournalCorruptError } from '../../activities/journal-format';
import { readJournalLines } from '../../machinery/devstack/run-ledger';

const run = promisify(execFile);
const TSX = path.resolve(__dirname, '../../node_modules/.bin/tsx');
const JOURNAL_MODULE = path.resolve(__dirname, '../../activities/journal');

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-closed-'));
  file = path.join(dir, 'journal.jsonl');
});

const charge = (result: unknown) => () => ({
  effect: 'charge' as const,
  orderId: 'o1',
  result,
  worker: 'w',
  attempt: 1,
});
const keysInFile = () => readJournalLines(file).map((entry) => entry.key);

describe('a torn line (a writer that died mid-line)', () => {
  test('fresh readers on the same key record it once, and the torn bytes are kept aside', async () => {
    await new EffectJournal(file).recordOnce('wf:reserveInventory', charge('first'));
    fs.appendFileSync(file, '{"key":"torn');

    const [a, b] = [new EffectJournal(file), new EffectJournal(file)];
    expect((await a.recordOnce('wf:chargeCustomer', charge('a'))).deduplicated).toBe(false);
    expect(await b.recordOnce('wf:chargeCustomer', charge('b'))).toEqual({ result: 'a', deduplicated: true });

    expect(keysInFile()).toEqual(['wf:reserveInventory', 'wf:chargeCustomer']);
    expect(fs.readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    const torn = fs
      .readFileSync(a.tornFilePath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(torn).toEqual([expect.objectContaining({ bytes: '{"key":"torn', byteOffset: expect.any(Number) })]);
  });

  test('a reader that is not writing treats the torn tail as no entry, and changes nothing', async () => {
    await new EffectJournal(file).recordOnce('k1', charge('first'));
    fs.appendFileSync(file, '{"key":"k2","effect":"charge"');
    const before = fs.readFileSync(file, 'utf8');
    const reader = new EffectJournal(file);
    expect(await reader.find('k2')).toBeUndefined();
    expect((await reader.find('k1'))?.result).toBe('first');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('a damaged line in the middle of the file', () => {
  const damaged = '{"key":"torn{"key":"wf:chargeCustomer","effect":"charge","orderId":"o1"}';
  let offset: number;
  beforeEach(async () => {
    await new EffectJournal(file).recordOnce('wf:reserveInventory', charge('first'));
    offset = fs.statSync(file).size;
    fs.appendFileSync(file, `${damaged}\n`);
  });

  test.each([
    ['recordOnce', (j: EffectJournal) => j.recordOnce('wf:chargeCustomer', charge('again'))],
    ['find', (j: EffectJournal) => j.find('wf:chargeCustomer')],
    ['entries', (j: EffectJournal) => j.entries()],
  ])('%s stops with the file, the byte offset and the fix, and writes nothing', async (_name, call) => {
    const before = fs.readFileSync(file, 'utf8');
    const journal = new EffectJournal(file);
    const failure = call(journal);
    await expect(failure).rejects.toBeInstanceOf(JournalCorruptError);
    await expect(call(journal)).rejects.toThrow(
      `the file journal ${file} is damaged at byte ${offset}: the line there is not a journal entry`,
    );
    await expect(call(journal)).rejects.toThrow('Fix: stop the workers, move that line out of the file');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  test('a report reads it the same way: it throws instead of skipping the line', () => {
    expect(() => readJournalLines(file)).toThrow(JournalCorruptError);
  });

  test('a line that is JSON but not an entry is damage too', async () => {
    fs.writeFileSync(file, '{"hello":"world"}\n');
    await expect(new EffectJournal(file).find('k')).rejects.toThrow('is damaged at byte 0');
  });
});

/** A second process that takes the lock, says so, then stalls its event loop (no timer runs) inside `build`. */
function stalledHolder(options: { stallMs: number; staleMs?: number }) {
  const marker = path.join(dir, 'holder-has-lock');
  const script = `
    const fs = require('node:fs');
    const { EffectJournal } = require(${JSON.stringify(JOURNAL_MODULE)});
    const journal = new EffectJournal(${JSON.stringify(file)}, ${JSON.stringify({ staleMs: options.staleMs })});
    process.on('uncaughtException', (e) => { console.log('UNCAUGHT ' + e.message); process.exit(3); });
    journal.recordOnce('wf:chargeCustomer', () => {
      fs.writeFileSync(${JSON.stringify(marker)}, 'locked');
      const until = Date.now() + ${options.stallMs};
      while (Date.now() < until) {} // a holder starved of CPU: no timer, no lock update
      return { effect: 'charge', orderId: 'o1', result: 'stalled holder', worker: 'holder', attempt: 1 };
    }).then(
      (r) => { console.log('RECORDED ' + JSON.stringify(r)); setTimeout(() => process.exit(0), 2500); },
      (e) => { console.log('REFUSED ' + e.name + ': ' + e.message); setTimeout(() => process.exit(0), 2500); },
    );`;
  const holder = run(TSX, ['-e', script], { encoding: 'utf8' });
  const hasLock = async () => {
    while (!fs.existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
  };
  return { holder, hasLock };
}

describe('a lock holder that stalls', () => {
  test('for 5 s (past the old 3 s stale time) keeps its lock: the other writer waits and finds its entry', async () => {
    const { holder, hasLock } = stalledHolder({ stallMs: 5_000 });
    await hasLock();
    const other = await new EffectJournal(file).recordOnce('wf:chargeCustomer', charge('other writer'));
    const { stdout } = await holder;

    expect(stdout).toContain('RECORDED {"result":"stalled holder","deduplicated":false}');
    expect(stdout).not.toContain('UNCAUGHT');
    expect(other).toEqual({ result: 'stalled holder', deduplicated: true });
    expect(keysInFile()).toEqual(['wf:chargeCustomer']);
  }, 30_000);

  test('past the stale time loses the lock, notices before writing, and writes nothing: one entry, no crash', async () => {
    const staleMs = 2_000;
    const { holder, hasLock } = stalledHolder({ stallMs: 4_500, staleMs });
    await hasLock();
    const other = await new EffectJournal(file, { staleMs }).recordOnce('wf:chargeCustomer', charge('taker'));
    const { stdout } = await holder;

    expect(other).toEqual({ result: 'taker', deduplicated: false });
    expect(stdout).toContain('REFUSED JournalLockLostError: lost the lock on the file journal');
    expect(stdout).toContain('this write was abandoned and nothing was written');
    expect(stdout).not.toContain('UNCAUGHT');
    expect(keysInFile()).toEqual(['wf:chargeCustomer']);
    expect(readJournalLines(file)[0].result).toBe('taker');
  }, 30_000);
});

/**
 * One contract, both backends: the journal file and the DynamoDB table (on moto's real server). Every rule of the
 * ledger is checked the same way on each, including processes racing on the same keys.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { EffectJournal, EffectVoidedError, type JournalEntry } from '../../activities/journal';
import type { EffectLedger, ForwardBody } from '../../activities/ledger/effect-ledger';
import type { LedgerConfig } from '../../config/ledger-config';
import { freshLedgerTable, stopLedgerServer } from '../support/ledger-server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

interface Backend {
  config: LedgerConfig;
  env: Record<string, string>;
  open(): EffectLedger;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'file journal',
    async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'journal.jsonl');
      return { config: { kind: 'file', path: file }, env: {}, open: () => new EffectJournal(file) };
    },
  ],
  ['DynamoDB table', () => freshLedgerTable('contract')],
];

afterAll(() => stopLedgerServer());

const charge = (orderId: string, result: unknown) => (): ForwardBody<unknown> => ({
  effect: 'charge',
  orderId,
  result,
  worker: 'w',
  attempt: 1,
});
const refund =
  (orderId: string) =>
  (original: JournalEntry | undefined): ForwardBody<{ undone: boolean }> => ({
    effect: 'refund',
    orderId,
    result: { undone: original !== undefined },
    worker: 'w',
    attempt: 1,
  });

describe.each(backends)('%s', (_name, makeBackend) => {
  let backend: Backend;
  let ledger: EffectLedger;
  beforeEach(async () => {
    backend = await makeBackend();
    ledger = backend.open();
  });
  afterEach(() => ledger.close());

  test('a second record with the same key returns the first result and adds nothing', async () => {
    expect(await ledger.recordOnce('k1', charge('o1', { n: 1 }))).toEqual({ result: { n: 1 }, deduplicated: false });
    expect(await ledger.recordOnce('k1', charge('o1', { n: 2 }))).toEqual({ result: { n: 1 }, deduplicated: true });
    expect((await ledger.entries()).map((e) => [e.key, e.result])).toEqual([['k1', { n: 1 }]]);
  });

  test('another ledger object (another process) finds what the first recorded', async () => {
    await ledger.recordOnce('k1', charge('o1', 'first'));
    const other = backend.open();
    try {
      expect((await other.find('k1'))?.result).toBe('first');
      expect(await other.find('absent')).toBeUndefined();
      expect((await other.recordOnce('k1', charge('o1', 'second'))).deduplicated).toBe(true);
    } finally {
      await other.close();
    }
  });

  test('an undo after its forward effect sees it, and the forward effect stays recorded', async () => {
    await ledger.recordOnce('o1:charge', charge('o1', 'ch-1'));
    const undo = () => ledger.recordUndo('o1:refund', 'o1:charge', refund('o1'));
    expect(await undo()).toEqual({ result: { undone: true }, deduplicated: false });
    expect(await undo()).toEqual({ result: { undone: true }, deduplicated: true });
    expect((await ledger.recordOnce('o1:charge', charge('o1', 'again'))).result).toBe('ch-1');
    expect((await ledger.find('o1:refund'))?.undoes).toBe('o1:charge');
  });

  test('an undo before its forward effect voids it: the late effect is refused and never recorded', async () => {
    expect((await ledger.recordUndo('o1:refund', 'o1:charge', refund('o1'))).result).toEqual({ undone: false });
    await expect(ledger.recordOnce('o1:charge', charge('o1', 'late'))).rejects.toBeInstanceOf(EffectVoidedError);
    expect(await ledger.find('o1:charge')).toBeUndefined();
    expect((await ledger.entries()).map((e) => e.key)).toEqual(['o1:refund']);
  });

  test('reads by order return only that order, oldest first', async () => {
    // A few milliseconds apart, as a saga's steps always are: entries of the same millisecond are ordered by key.
    await ledger.recordOnce('a:reserve', charge('a', 1));
    await sleep(3);
    await ledger.recordOnce('b:reserve', charge('b', 2));
    await ledger.recordOnce('a:charge', charge('a', 3));
    await sleep(3);
    await ledger.recordUndo('a:refund', 'a:charge', refund('a'));
    expect((await ledger.entriesForOrder('a')).map((e) => e.key)).toEqual(['a:reserve', 'a:charge', 'a:refund']);
    expect((await ledger.entriesForOrder('b')).map((e) => e.key)).toEqual(['b:reserve']);
    expect(await ledger.entriesForOrder('none')).toEqual([]);
  });

  test('four processes racing forward effects and undos on the same keys keep every rule', async () => {
    // Each process charges 20 orders and refunds them, in an order of its own: forward effects and undos of the
    // same key race each other across processes.
    const script = `
      const { openLedger } = require(${JSON.stringify(path.join(ROOT, 'activities/ledger/open-ledger'))});
      const ledger = openLedger(JSON.parse(process.env.LEDGER_CONFIG));
      const me = Number(process.env.RACER);
      const body = (effect, orderId, result) => ({ effect, orderId, result, worker: 'p' + me, attempt: 1 });
      const jobs = Array.from({ length: 20 }, (_, i) => async () => {
        const charge = () => ledger.recordOnce('o' + i + ':charge', () => body('charge', 'o' + i, me))
          .catch((e) => { if (e.name !== 'EffectVoidedError') throw e; });
        const refund = () => ledger.recordUndo('o' + i + ':refund', 'o' + i + ':charge',
          (original) => body('refund', 'o' + i,
            { undone: original !== undefined, charged: original && original.result }));
        if ((i + me) % 2 === 0) { await charge(); await refund(); } else { await refund(); await charge(); }
      });
      Promise.all(jobs.map((job) => job())).then(() => ledger.close()).then(() => process.exit(0),
        (e) => { console.error(e); process.exit(1); });`;
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    await Promise.all(
      [0, 1, 2, 3].map((racer) =>
        run(tsx, ['-e', script], {
          cwd: ROOT,
          env: { ...process.env, ...backend.env, LEDGER_CONFIG: JSON.stringify(backend.config), RACER: String(racer) },
        }),
      ),
    );
    const entries = await ledger.entries();
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    for (let i = 0; i < 20; i++) {
      const charged = entries.find((e) => e.key === `o${i}:charge`);
      const refunded = entries.find((e) => e.key === `o${i}:refund`);
      // Every order was refunded once, and the refund saw exactly what was charged: a charge it missed never lands.
      expect(refunded?.result).toEqual(charged ? { undone: true, charged: charged.result } : { undone: false });
    }
  });
});

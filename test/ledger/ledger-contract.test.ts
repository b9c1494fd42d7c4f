/**
 * One contract, both backends: the journal file and the DynamoDB table (on moto's real server). Every rule of the
 * ledger is checked the same way on each, including processes racing on the same keys.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { EffectJournal, EffectVoidedError, type JournalEntry } from '../../activities/journal';
import type { EffectLedger, ForwardBody } from '../../activities/ledger/effect-ledger';
import { DynamoDbLedger } from '../../activities/ledger/dynamodb-ledger';
import type { LedgerConfig } from '../../config/ledger-config';
import { startDynamoDbFaultProxy, type FaultProxy } from '../../machinery/devstack/dynamodb-fault-proxy';
import { MOTO_CREDENTIALS } from '../../machinery/lambda-local/local-aws-clients';
import { freshLedgerTable, ledgerServer, stopLedgerServer } from '../support/ledger-server';

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

/**
 * Ambiguous outcomes, which only a remote table has: the write committed, and the reply was cut off or came back
 * as a 500. A proxy in front of moto lets the request through and then disturbs the answer.
 */
describe('DynamoDB table, ambiguous outcomes', () => {
  let table: Awaited<ReturnType<typeof freshLedgerTable>>;
  let proxy: FaultProxy | undefined;
  beforeEach(async () => {
    table = await freshLedgerTable('ambiguous');
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** A ledger through a proxy that disturbs the first `times` requests of `operation`. */
  async function disturbedLedger(operation: string, action: 'commit-then-drop' | 'commit-then-500', times = 1) {
    let left = times;
    proxy = await startDynamoDbFaultProxy({
      target: (await ledgerServer()).endpoint,
      decide: (op) => (op === operation && left-- > 0 ? action : 'forward'),
    });
    return new DynamoDbLedger({ ...table.config, endpoint: proxy.endpoint, credentials: MOTO_CREDENTIALS });
  }

  test.each(['commit-then-drop', 'commit-then-500'] as const)(
    'a charge whose reply is lost (%s) is one item, and the SDK retry returns the charge it made',
    async (action) => {
      const ledger = await disturbedLedger('PutItem', action);
      try {
        expect(await ledger.recordOnce('o1:charge', charge('o1', 'ch-1'))).toEqual({
          result: 'ch-1',
          deduplicated: false,
        });
        expect(await ledger.recordOnce('o1:charge', charge('o1', 'ch-2'))).toEqual({
          result: 'ch-1',
          deduplicated: true,
        });
        expect(proxy!.disturbed).toEqual([{ operation: 'PutItem', action }]);
      } finally {
        await ledger.close();
      }
      const direct = table.open();
      expect((await direct.entries()).map((e) => [e.key, e.result])).toEqual([['o1:charge', 'ch-1']]);
      expect((await direct.recordUndo('o1:refund', 'o1:charge', refund('o1'))).result).toEqual({ undone: true });
      await direct.close();
    },
  );

  test('when every attempt of the first call loses its reply, the activity retry gets the first charge back', async () => {
    const ledger = await disturbedLedger('PutItem', 'commit-then-drop', 1_000);
    const first = await ledger.recordOnce('o1:charge', charge('o1', 'ch-1')).catch((err: unknown) => err);
    await ledger.close();
    expect(first).toBeInstanceOf(Error);
    expect(proxy!.disturbed.length).toBeGreaterThan(1); // the SDK retried before giving up

    const retry = table.open();
    expect(await retry.recordOnce('o1:charge', charge('o1', 'ch-2'))).toEqual({ result: 'ch-1', deduplicated: true });
    expect((await retry.recordUndo('o1:refund', 'o1:charge', refund('o1'))).result).toEqual({ undone: true });
    expect((await retry.entries()).map((e) => e.key)).toEqual(['o1:charge', 'o1:refund']);
    await retry.close();
  });

  test('an undo whose marking reply is a 500 still sees the charge, and a late charge stays refused', async () => {
    const ledger = await disturbedLedger('UpdateItem', 'commit-then-500');
    try {
      expect((await ledger.recordUndo('o1:refund', 'o1:charge', refund('o1'))).result).toEqual({ undone: false });
      await expect(ledger.recordOnce('o1:charge', charge('o1', 'late'))).rejects.toBeInstanceOf(EffectVoidedError);
      expect(proxy!.disturbed).toEqual([{ operation: 'UpdateItem', action: 'commit-then-500' }]);
    } finally {
      await ledger.close();
    }
  });
});

test('the fault proxy answers no web page: a foreign Origin or Host is refused and never reaches the table', async () => {
  let asked = 0;
  const proxy = await startDynamoDbFaultProxy({
    target: (await ledgerServer()).endpoint,
    decide: () => (asked++, 'forward'),
  });
  try {
    const port = new URL(proxy.endpoint).port;
    const body = JSON.stringify({});
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
    const fromPage = await fetch(proxy.endpoint, {
      method: 'POST',
      body,
      headers: { ...headers, origin: 'http://evil.example' },
    });
    expect(fromPage.status).toBe(403);
    expect(await fromPage.text()).toContain('takes no requests from web pages');
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', headers: { ...headers, host: `evil.example:${port}` } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(rebound).toBe(403);
    expect(asked).toBe(0);
  } finally {
    await proxy.close();
  }
});

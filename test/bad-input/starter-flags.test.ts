/**
 * Bad starter flags: each row is the exact message the user reads. Rows marked `process` also run the real
 * `npm run starter` against the test dev server: exit code 2, the message then the usage on stderr, and no order
 * submitted. More parser rows (unknown option, --count 0, an unknown scenario, --order-id with --count 2, a stray
 * argument) live in test/unit/starter-cli.test.ts.
 */

import { execFile } from 'node:child_process';
import { UsageError } from '../../client/command-line';
import { USAGE, parseStarterArgs } from '../../starter/cli-args';
import { orderWorkflowId } from '../../config/settings';
import { ROOT } from '../support/processes';
import { createScratchNamespace } from '../support/scratch-namespace';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';
import { Client, Connection } from '@temporalio/client';

const ORDER_ID_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
const ID = '<order-id>';

/** [the flags (ID is replaced by a fresh valid order id), the message, run the real process too]. */
const ROWS: [string[], string, boolean][] = [
  [['--order-id', ID, '--count', '1e2'], '--count must be a whole number from 1 to 1000 (got "1e2")', true],
  [['--count', '0x10'], '--count must be a whole number from 1 to 1000 (got "0x10")', false],
  [['--count', ' 3'], '--count must be a whole number from 1 to 1000 (got " 3")', false],
  [['--count', '1001'], '--count must be a whole number from 1 to 1000 (got "1001")', false],
  [['--count', '2.5'], '--count must be a whole number from 1 to 1000 (got "2.5")', false],
  [
    ['--count', '-3'],
    "Option '--count' argument is ambiguous.\nDid you forget to specify the option argument for '--count'?\nTo specify an option argument starting with a dash use '--count=-XYZ'.",
    false,
  ],
  [['--order-id', ID, '--count'], "Option '--count <value>' argument missing", false],
  [['--order-id', ID, '--no-wait=yes'], "Option '--no-wait' does not take an argument", true],
  [['-x'], "Unknown option '-x'", false],
  [['--order-id', 'two words'], `--order-id must be ${ORDER_ID_RULE} (got "two words")`, true],
  [['--order-id', ''], `--order-id must be ${ORDER_ID_RULE} (got "")`, false],
  [['--order-id', 'x'.repeat(65)], `--order-id must be ${ORDER_ID_RULE} (got "${'x'.repeat(65)}")`, false],
  [
    ['--order-id', ID, '--scenario', 'Decline'],
    '--scenario must be one of happy, decline, out-of-stock, bad-address, shipping-outage, notify-outage, slow, long-haul (got "Decline")',
    true,
  ],
];

let namespace: string;
let client: Client;
beforeAll(async () => {
  namespace = await createScratchNamespace('starter-flags');
  client = new Client({ connection: await Connection.connect({ address: testEnv('address') }), namespace });
});
afterAll(async () => {
  await client?.connection.close();
});

function npmRunStarter(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', 'starter', '--silent', '--', ...args],
      { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: testEnv('address'), TEMPORAL_NAMESPACE: namespace } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

test.each(ROWS)('%j: %s', async (template, message, viaProcess) => {
  const orderId = uniqueName('flag');
  const argv = template.map((arg) => (arg === ID ? orderId : arg));
  expect(() => parseStarterArgs(argv)).toThrow(new UsageError(message));
  if (!viaProcess) return;

  const run = await npmRunStarter(argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.replace(/^npm warn .*\n/gm, '')).toBe(`starter: ${message}\n\n${USAGE}\n`);
  await expect(client.workflow.getHandle(orderWorkflowId(orderId)).describe()).rejects.toThrow(/workflow not found/);
  expect(await client.workflow.count()).toMatchObject({ count: 0 });
});

/** The starter's command line: strict parsing, and a real process that exits 2 with usage on bad input. */

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../client/command-line';
import { parseStarterArgs } from '../../starter/cli-args';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

test('defaults: one happy order, followed until done', () => {
  expect(parseStarterArgs([])).toEqual({ count: 1, scenario: 'happy', wait: true, orderId: undefined, help: false });
  expect(parseStarterArgs(['--count', '3', '--scenario', 'decline', '--no-wait'])).toMatchObject({
    count: 3,
    scenario: 'decline',
    wait: false,
  });
});

test.each([
  [['--colour', 'red'], /Unknown option '--colour'/],
  [['--count', '0'], /--count must be a whole number from 1 to 1000 \(got "0"\)/],
  [['--count', 'many'], /--count must be a whole number/],
  [['--scenario', 'meteor'], /--scenario must be one of happy, decline, out-of-stock/],
  [['--order-id', 'a', '--count', '2'], /cannot be combined/],
  [['stray'], /Unexpected argument 'stray'/],
])('%j is a usage error', (argv, message) => {
  expect(() => parseStarterArgs(argv)).toThrow(UsageError);
  expect(() => parseStarterArgs(argv)).toThrow(message);
});

test('the starter process prints usage and exits 2 on a bad flag, before connecting anywhere', async () => {
  const attempt = run(path.join(ROOT, 'node_modules/.bin/tsx'), ['starter/main.ts', '--scenario', 'meteor'], {
    cwd: ROOT,
    // An address nothing listens on: if the starter tried to connect, it would fail differently (exit 1).
    env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' },
  });
  await expect(attempt).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--scenario must be one of[\s\S]*Usage: npm run starter/),
  });
});

/**
 * Bad `npm run cost` flags: each row is the exact message the user reads, from the parser and from the real process
 * (exit 2, the message then the usage on stderr, nothing on stdout). A good run prints the answer.
 */

import { execFile } from 'node:child_process';
import { UsageError } from '../../client/command-line';
import { COST_USAGE, parseCostArgs } from '../../cost/cost-args';
import { ROOT } from '../support/processes';

const RANGE = 'give a number from 1 to 1000000000';
const ROWS: [string[], string][] = [
  [['--orders-per-day', 'lots'], `orders per day "lots" is not a number: ${RANGE}`],
  [['--orders-per-day', '0'], `orders per day 0 is out of range: ${RANGE}`],
  [['--orders-per-day', '1e12'], `orders per day 1000000000000 is out of range: ${RANGE}`],
  [['--busy-hours', '30'], 'busy hours 30 is out of range: give a number from 1 to 24'],
  [
    ['--fleet', '2xt9.huge'],
    expect.stringMatching(/^fleet instance "t9\.huge" is unknown: choose one of t3\.small, /) as unknown as string,
  ],
  [['--arch', 'sparc'], 'architecture "sparc" is not one of x86_64, arm64'],
  [['--orders'], "Unknown option '--orders'"],
];

function npmRunCost(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', 'cost', '--silent', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

test.each(ROWS)('%j: %s', async (argv, message) => {
  expect(() => parseCostArgs(argv)).toThrow(UsageError);
  let thrown = '';
  try {
    parseCostArgs(argv);
  } catch (err) {
    thrown = (err as Error).message;
  }
  expect(thrown).toEqual(message);
  const run = await npmRunCost(argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.replace(/^npm warn .*\n/gm, '')).toBe(`cost: ${thrown}\n\n${COST_USAGE}\n`);
});

test('a good workload prints both sides, the idle capacity, the break-even and the chart', async () => {
  const run = await npmRunCost(['--orders-per-day', '20000', '--fleet', '3xt3.medium', '--arch', 'x86_64']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^How much are you spending on idle worker capacity\? 20,000 orders a day/);
  expect(run.stdout).toMatch(/Always-on fleet \(3 x EC2 t3\.medium/);
  expect(run.stdout).toMatch(/Idle capacity paid for: \$\d/);
  expect(run.stdout).toMatch(/Break-even: (about [\d,]+ orders a day|none)/);
  expect(run.stdout).toMatch(/<- your workload/);
});

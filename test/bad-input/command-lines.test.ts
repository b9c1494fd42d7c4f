/**
 * One command-line convention for every entry point: a bad flag prints `<command>: <problem>`, then the usage, and
 * exits 2, before anything is started (no server, no file, no order). Each row runs the real entry point.
 */

import fs from 'node:fs';
import path from 'node:path';
import { startEntryPoint } from '../support/processes';

const ROWS: [entry: string, args: string[], firstLine: string][] = [
  ['starter/main.ts', ['--count', '0'], 'starter: --count must be a whole number from 1 to 1000 (got "0")'],
  ['demo/main.ts', ['--orders', '99'], 'demo: --orders must be a whole number from 1 to 20 (got "99")'],
  ['machinery/chaos/main.ts', ['--seed', 'x'], 'chaos: --seed must be a whole number (got "x")'],
  ['console/main.ts', ['--port', 'x'], 'console: --port "x" is not a port: give a number from 0 to 65535'],
  ['machinery/bench/main.ts', ['--reps', '0'], 'bench: --reps must be a whole number from 1 to 20 (got "0")'],
  [
    'machinery/lambda-local/main.ts',
    ['--runtime', 'x'],
    'lambda-local: --runtime must be auto, aws or builtin (got "x")',
  ],
  [
    'machinery/lambda-local/main.ts',
    ['--throttle-backoff', '2,1'],
    'lambda-local: --throttle-backoff must be FIRST,MAX in seconds, with 0 < FIRST <= MAX (got "2,1"); e.g. 0.1,2, ' +
      "or Lambda's 1,300",
  ],
  ['scripts/dev-server.ts', ['--port', '1'], "dev-server: Unknown option '--port'"],
  ['scripts/build-lambda.ts', ['--arch', 'sparc'], 'build:lambda: --arch must be x86_64 or arm64 (got "sparc")'],
  ['scripts/deploy-lambda.ts', [], 'deploy:lambda: --function is required'],
  ['scripts/register-lambda.ts', [], 'register:lambda: --function-arn is required'],
  [
    'scripts/register-lambda.ts',
    ['--function-arn', 'arn:aws:lambda:us-east-1:000000000000:function:f:1', '--scale-up-cooloff-ms', 'soon'],
    'register:lambda: --scale-up-cooloff-ms must be a whole number of milliseconds from 0 to 600000 (got "soon")',
  ],
  ['scripts/redeploy.ts', [], 'redeploy: --function is required'],
  [
    'scripts/redeploy.ts',
    ['--function', 'f', '--role-arn', 'arn:aws:iam::123456789012:role/r'],
    'redeploy: --role-arn and --external-id go together (the trust policy requires the external id)',
  ],
  ['scripts/doctor.ts', [], 'doctor: --function is required'],
  [
    'scripts/deploy-lambda.ts',
    ['--function', 'f', '--create', '--role', 'r', '--env', 'TEMPORAL_API_KEY=sk-1'],
    'deploy:lambda: --env TEMPORAL_API_KEY would freeze the key into every published version (rotating it strands ' +
      'the orders pinned to older ones) and show it to anyone allowed lambda:GetFunction: store it in AWS Secrets ' +
      'Manager (aws secretsmanager create-secret --name shopflow/temporal-api-key --secret-string "$TEMPORAL_API_KEY") ' +
      'and pass --env TEMPORAL_API_KEY_SECRET=shopflow/temporal-api-key instead (docs/deploy-to-aws.md, "The API key")',
  ],
  ['scripts/metrics.ts', ['--minutes', '0'], 'metrics: --minutes must be a whole number from 1 to 1440'],
];

test.each(ROWS)('%s %j: says what is wrong, prints the usage, exits 2', async (entry, args, firstLine) => {
  const distBefore = fs.existsSync(path.resolve('dist')) ? fs.readdirSync(path.resolve('dist')).sort() : [];
  const run = startEntryPoint(entry, args, { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  const { code } = await run.exited;
  const lines = run.output().trim().split('\n');
  expect(lines[0]).toBe(firstLine);
  expect(run.output()).toMatch(/\n\nUsage: npm run /);
  expect(code).toBe(2);
  const distAfter = fs.existsSync(path.resolve('dist')) ? fs.readdirSync(path.resolve('dist')).sort() : [];
  expect(distAfter).toEqual(distBefore);
});

/** Orders started and inspected with the Temporal CLI, the way people drive the demo by hand. */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { getStatusQuery } from '../../workflows/definitions';
import { failureOf } from '../support/assertions';
import { testOrder } from '../support/orders';
import { testEnv } from '../support/test-env';
import { startTestWorker, uniqueName, type TestWorker } from '../support/test-worker';

const run = promisify(execFile);

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop();
});

function temporal(...args: string[]) {
  return run(testEnv('cli'), [...args, '--address', testEnv('address'), '--namespace', 'default'], {
    encoding: 'utf8',
  });
}

/** `temporal workflow start` of an OrderWorkflow on the test worker's queue, with the input as the CLI takes it. */
function startWithCli(workflowId: string, input: string) {
  return temporal(
    'workflow',
    'start',
    '--task-queue',
    worker.taskQueue,
    '--type',
    'OrderWorkflow',
    '--workflow-id',
    workflowId,
    '--input',
    input,
  );
}

test('an order started with `temporal workflow start` completes, and `temporal workflow query` shows its status', async () => {
  const order = testOrder('happy');
  const workflowId = uniqueName('cli-order');
  await startWithCli(workflowId, JSON.stringify(order));
  const handle = worker.client.workflow.getHandle(workflowId);
  await handle.result();

  const { stdout } = await temporal(
    'workflow',
    'query',
    '--workflow-id',
    workflowId,
    '--name',
    getStatusQuery.name,
    '-o',
    'json',
  );
  const answer = JSON.parse(stdout) as { queryResult: [{ state: string; completedSteps: string[] }] };
  expect(answer.queryResult[0].state).toBe('COMPLETED');
  expect(answer.queryResult[0].completedSteps).toHaveLength(4);
});

test('a wrongly shaped order from the CLI fails with a readable InvalidOrder naming each field', async () => {
  const workflowId = uniqueName('cli-bad');
  await startWithCli(workflowId, '{"orderId": 42, "items": "two mugs"}');
  const failure = await failureOf(worker.client.workflow.getHandle(workflowId));
  expect(failure.type).toBe('InvalidOrder');
  expect(failure.message).toContain('orderId must be 1-64 letters');
  expect(failure.message).toContain('items must be a non-empty array (got "two mugs")');
  expect(failure.message).toContain('customer must be an object (got nothing)');
});

test('input that is not JSON at all is refused by the CLI before anything starts', async () => {
  const workflowId = uniqueName('cli-malformed');
  const attempt = startWithCli(workflowId, '{orderId: oops');
  await expect(attempt).rejects.toMatchObject({ stderr: expect.stringMatching(/invalid|json/i) });
  await expect(worker.client.workflow.getHandle(workflowId).describe()).rejects.toThrow(/not found/i);
});

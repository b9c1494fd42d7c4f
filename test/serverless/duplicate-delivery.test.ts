/**
 * Issue 21, "events are delivered at least once", end to end: Lambda's asynchronous queue may deliver one event twice
 * ("it's possible for it to receive the same event from Lambda multiple times"). Here every event is (the local
 * service's `duplicateEvents` = 1), so each time the dev server's worker controller invokes the function, two
 * environments start, each with its own request id, and both poll the task queue. The orders must still complete
 * with each effect recorded once: a second delivery finds no task, or takes one the order needed anyway.
 *
 * The switch is the service's, so this file starts a stack of its own (machinery/devstack/local-stack.ts): the run's shared
 * service delivers each event once.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { InvocationSummary } from '../../lambda/lifecycle';
import type { LocalInvocationsReport } from '../../machinery/lambda-local/metrics';
import { isLambdaIdentity } from '../../client/describe-worker';
import { startOrder } from '../../client/start-order';
import type { OrderResult } from '../../domain/status';
import { FORWARD_STEPS, idempotencyKey } from '../../domain/steps';
import type { LocalStack } from '../../machinery/devstack/local-stack';
import { readJournalLines } from '../../machinery/devstack/run-ledger';
import { Stage } from '../../machinery/devstack/stage';
import { testOrder } from '../support/orders';
import { startOwnLambdaStack } from '../support/own-lambda-stack';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

const ORDERS = 3;
const version = { deploymentName: uniqueName('shopflow-duplicates'), buildId: 'duplicates-1' };
const taskQueue = uniqueName('shopflow-duplicates');
const functionName = uniqueName('shopflow-duplicates');
const stage = new Stage();
/** The service's console lines: "<function>: event <id> will be delivered twice (duplicate <id>)", cold starts... */
const narrated: string[] = [];
/** Its one-time notes at start. */
const noted: string[] = [];
let dir: string;
let stack: LocalStack;
let client: Client;

/** Environments of the function running or starting an invocation, and events still waiting in the queue. */
const unfinished = () =>
  stack.lambda.service.environmentsOf(functionName).filter((e) => e.state === 'busy' || e.state === 'starting').length +
  stack.lambda.service.queued(functionName);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'duplicate-delivery-'));
  ({ stack } = await startOwnLambdaStack({
    dir,
    stage,
    version,
    functionName,
    taskQueue,
    identity: 'duplicate-delivery-test',
    lambda: { duplicateEvents: 1, narrate: (line) => narrated.push(line) },
    log: (line) => noted.push(line),
  }));
  // Registering invokes the function (twice, here): let those deliveries idle out before the orders.
  for (let i = 0; i < 100 && stack.lambda.service.environmentsOf(functionName).length === 0; i++) await sleep(100);
  for (let i = 0; i < 300 && unfinished() > 0; i++) await sleep(100);
  client = await stack.connectClient();
}, 180_000);
afterAll(() => stage.stopAll());

/** Each event the service delivered twice: its first request id and the duplicate's (8-character prefixes). */
function duplicatedEvents(): { first: string; duplicate: string }[] {
  const pattern = new RegExp(`^${functionName}: event (\\w{8}) will be delivered twice \\(duplicate (\\w{8})\\)$`);
  return narrated.flatMap((line) => {
    const match = pattern.exec(line);
    return match ? [{ first: match[1], duplicate: match[2] }] : [];
  });
}

test('every event delivered twice: each order completes on the Lambda, each effect recorded once, the second deliveries harmless', async () => {
  expect(noted).toContain(
    'Local Lambda: 100% of asynchronous events are delivered twice (AWS: a function may "receive the same event from Lambda multiple times")',
  );
  const eventsBefore = duplicatedEvents().length;
  const orders = Array.from({ length: ORDERS }, () => testOrder('happy'));
  const handles = await Promise.all(orders.map((order) => startOrder(client, order, { taskQueue })));
  const results = (await Promise.all(handles.map((h) => h.result()))) as OrderResult[];
  for (const result of results) {
    expect(result.status.state).toBe('COMPLETED');
    for (const step of result.status.steps) expect(isLambdaIdentity(step.worker)).toBe(true);
  }

  // Each effect once: one journal entry per <workflowId>:<step> key, as the chaos run's duplicateKeys counts them.
  const effects = readJournalLines(path.join(dir, 'journal.jsonl'));
  const keys = effects.map((e) => e.key);
  expect(keys.length - new Set(keys).size).toBe(0);
  expect(keys.sort()).toEqual(
    handles.flatMap((h) => FORWARD_STEPS.map((step) => idempotencyKey(h.workflowId, step))).sort(),
  );

  // Every delivery has ended (idle exit), so each invocation's summary can be read.
  for (let i = 0; i < 300 && unfinished() > 0; i++) await sleep(100);
  expect(unfinished()).toBe(0);
  const report = (await (await fetch(`${stack.lambda.endpoint}/local/invocations`)).json()) as LocalInvocationsReport[];
  const finished = report.find((f) => f.functionName === functionName)!.finished;
  expect(finished.filter((i) => i.errorType)).toEqual([]);

  // The orders' invocations by the worker controller really came twice, under two request ids each.
  const events = duplicatedEvents();
  expect(events.length).toBeGreaterThan(eventsBefore);
  const finishedId = (prefix: string) => finished.filter((i) => i.requestId.startsWith(prefix));
  for (const { first, duplicate } of events) {
    expect(first).not.toBe(duplicate);
    expect(finishedId(first)).toHaveLength(1);
    expect(finishedId(duplicate)).toHaveLength(1);
  }
  // Nothing else invoked the function: every invocation is one of the two deliveries of an event.
  expect(finished).toHaveLength(2 * events.length);

  // Each delivery stopped on its own when there was no more work (no deadline, no error): one that found no task
  // said so ('no-task'), one that took tasks ran them and left.
  const summaries = finished.map((i) => JSON.parse(i.response!) as InvocationSummary);
  for (const summary of summaries) expect(['idle', 'no-task', 'cache-empty']).toContain(summary.stopReason);
  const idle = summaries.filter((s) => s.activitiesStarted === 0 && s.workflowActivations === 0);
  for (const summary of idle) expect(summary.stopReason).toBe('no-task');
  expect(idle.length).toBeGreaterThanOrEqual(1); // at least registration's two deliveries, which found nothing
  const worked = summaries.filter((s) => s.activitiesStarted > 0);
  expect(worked.reduce((n, s) => n + s.activitiesStarted, 0)).toBeGreaterThanOrEqual(ORDERS * FORWARD_STEPS.length);
  // The effects' workers are among the deliveries that worked: the duplicates share the work, never repeat it.
  const workers = new Set(effects.map((e) => e.worker));
  for (const worker of workers) expect(worked.map((s) => s.identity)).toContain(worker);
  process.stdout.write(
    `[duplicate delivery] ${events.length} events delivered twice (${finished.length} invocations): ` +
      `${worked.length} took tasks, ${idle.length} found none; ${effects.length} effects, each once\n`,
  );
}, 90_000);

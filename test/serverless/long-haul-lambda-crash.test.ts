/**
 * Issue 26's failure case "the Lambda crashes mid-chunk": on the Lambda alone (no local worker), the execution
 * environment running a chunk is SIGKILLed, as an out-of-memory kill would, once the chunk has heartbeated 2 s of
 * progress. The server notices at the heartbeat timeout, the worker controller invokes the function again, and the
 * chunk's second attempt resumes from the crashed attempt's last heartbeat: at most one heartbeat interval of work
 * is done twice, no more progress is claimed than was done, and the shipment is recorded once.
 *
 * The crash goes through the local Lambda service (its environment's `crash()`), so this file starts a stack of its
 * own (machinery/devstack/local-stack.ts: a dev server whose worker controller invokes a service of this file's): the run's
 * shared service lives in jest's main process, which the test files cannot reach but over HTTP.
 */

import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { ACTIVITY_HEARTBEAT_INTERVAL_MS, LONG_HAUL_CHUNK_MS } from '../../config/settings';
import type { OrderResult } from '../../domain/status';
import type { LocalStack } from '../../machinery/devstack/local-stack';
import { Stage } from '../../machinery/devstack/stage';
import { isLambdaIdentity } from '../../client/describe-worker';
import { startOrder } from '../../client/start-order';
import { readJournalLines } from '../../machinery/devstack/run-ledger';
import { chunkActivities, pendingChunk, type PendingChunk } from '../../client/haul-history';
import { testOrder } from '../support/orders';
import { startOwnLambdaStack } from '../support/own-lambda-stack';
import { testEnv } from '../support/test-env';
import { uniqueName } from '../support/test-worker';

const HAUL_MS = 3 * LONG_HAUL_CHUNK_MS; // chunks 0-4 s, 4-8 s, 8-12 s
/** The chunk crashed: the second, so the first one's progress is also seen to survive. */
const CRASHED_CHUNK = 1;
/** How much of the chunk has reached the server as heartbeats before the crash. */
const HEARTBEATED_BEFORE_CRASH_MS = 2_000;
/** The crash comes this long after that heartbeat: between two heartbeats, so some work is lost. */
const CRASH_AFTER_HEARTBEAT_MS = 500;
/** Over one heartbeat interval: the delivery of a heartbeat and of the task to the environment, on a busy machine. */
const REPEAT_TOLERANCE_MS = 250;

const version = { deploymentName: uniqueName('shopflow-haul-crash'), buildId: 'haul-crash-1' };
const taskQueue = uniqueName('shopflow-haul-crash');
const functionName = uniqueName('shopflow-haul-crash');
const stage = new Stage();
let dir: string;
let stack: LocalStack;
let client: Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'haul-lambda-crash-'));
  ({ stack } = await startOwnLambdaStack({
    dir,
    stage,
    version,
    functionName,
    taskQueue,
    identity: 'long-haul-crash-test',
    lambda: { idleEnvironmentTtlMs: 60_000 },
  }));
  client = await stack.connectClient();
}, 180_000);
afterAll(() => stage.stopAll());

/** The chunk attempts the function logged starting ("haulShipmentChunk: 6000 -> 8000 of 12000 ms"), in order. */
function chunkStartsLogged(orderId: string): { attempt: number; fromMs: number; toMs: number }[] {
  const logFile = path.join(dir, 'stack', 'lambda-local', 'logs', `${functionName}.log`);
  const starts: { attempt: number; fromMs: number; toMs: number }[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue; // START, END and REPORT lines
    const entry = JSON.parse(line) as { message?: string; orderId?: string; attempt?: number };
    const said = /^haulShipmentChunk: (\d+) -> (\d+) of/.exec(entry.message ?? '');
    if (said && entry.orderId === orderId)
      starts.push({ attempt: entry.attempt!, fromMs: Number(said[1]), toMs: Number(said[2]) });
  }
  return starts;
}

test('the Lambda crashes mid-chunk: the retry resumes from its last heartbeat, on the Lambda alone', async () => {
  const order = { ...testOrder('long-haul'), longHaulMs: HAUL_MS };
  const handle = await startOrder(client, order, { taskQueue });
  const chunkStartMs = CRASHED_CHUNK * LONG_HAUL_CHUNK_MS;
  const chunkEndMs = chunkStartMs + LONG_HAUL_CHUNK_MS;

  let inFlight: PendingChunk | undefined;
  for (let i = 0; i < 400; i++) {
    inFlight = await pendingChunk(handle);
    if ((inFlight?.heartbeat?.progressMs ?? 0) >= chunkStartMs + HEARTBEATED_BEFORE_CRASH_MS) break;
    await sleep(100);
  }
  expect(inFlight?.attempt).toBe(1);
  expect(inFlight?.heartbeat?.progressMs).toBeGreaterThanOrEqual(chunkStartMs + HEARTBEATED_BEFORE_CRASH_MS);
  expect(inFlight?.heartbeat?.progressMs).toBeLessThan(chunkEndMs);
  const crashedIdentity = inFlight!.lastWorkerIdentity;
  expect(isLambdaIdentity(crashedIdentity)).toBe(true);
  await sleep(CRASH_AFTER_HEARTBEAT_MS);

  // The environment running the chunk: the one serving the request the chunk's worker identity names.
  const requestId = crashedIdentity!.slice(0, crashedIdentity!.indexOf('@'));
  const victim = stack.lambda.service.environmentsOf(functionName).find((e) => e.currentRequestId === requestId);
  expect(victim?.state).toBe('busy');
  const crashedAtMs = Date.now();
  expect(victim!.crash()).toBe(true);
  await victim!.exited();
  expect(victim!.state).toBe('dead');
  // What the crashed attempt had done: the chunk's start plus the time it ran (over-estimates, never under).
  const doneAtCrashMs = chunkStartMs + (crashedAtMs - inFlight!.lastStartedAtMs!);
  await sleep(ACTIVITY_HEARTBEAT_INTERVAL_MS);
  const lastBeat = (await pendingChunk(handle))?.heartbeat;

  const result = (await handle.result()) as OrderResult;
  expect(result.status.state).toBe('COMPLETED');
  for (const step of result.status.steps) expect(isLambdaIdentity(step.worker)).toBe(true);
  const chunks = await chunkActivities(handle);
  expect(chunks.map((c) => [c.input.checkpoint.progressMs, c.result?.progressMs, c.attempt])).toEqual([
    [0, 4_000, 1],
    [4_000, 8_000, 2], // the crashed chunk, completed by its second attempt
    [8_000, 12_000, 1],
  ]);
  for (const chunk of chunks) expect(isLambdaIdentity(chunk.identity)).toBe(true);
  const retried = chunks[CRASHED_CHUNK];
  expect(retried.identity).not.toBe(crashedIdentity); // another invocation: the crashed one is gone

  // What attempt 2 was handed: the crashed attempt's last heartbeat as the server kept it (the history does not
  // record it), and where attempt 2 says, in the function's log, that it started.
  const resumedFrom = lastBeat!;
  expect(resumedFrom).toMatchObject({ orderId: order.orderId, totalMs: HAUL_MS });
  expect(resumedFrom.progressMs).toBeGreaterThanOrEqual(inFlight!.heartbeat!.progressMs);
  expect(chunkStartsLogged(order.orderId)).toEqual([
    { attempt: 1, fromMs: 0, toMs: 4_000 },
    { attempt: 1, fromMs: 4_000, toMs: 8_000 },
    { attempt: 2, fromMs: resumedFrom.progressMs, toMs: 8_000 },
    { attempt: 1, fromMs: 8_000, toMs: 12_000 },
  ]);
  // Never more progress than was done; repeated, at most one heartbeat interval.
  const repeatedMs = doneAtCrashMs - resumedFrom.progressMs;
  expect(repeatedMs).toBeGreaterThanOrEqual(0);
  expect(repeatedMs).toBeLessThanOrEqual(ACTIVITY_HEARTBEAT_INTERVAL_MS + REPEAT_TOLERANCE_MS);
  // Attempt 2 worked the rest of the chunk from there, not the whole chunk again.
  const retryRanMs = retried.completedAtMs! - retried.startedAtMs!;
  const restMs = chunkEndMs - resumedFrom.progressMs;
  expect(retryRanMs).toBeGreaterThanOrEqual(restMs - 50);
  expect(retryRanMs).toBeLessThan(restMs + ACTIVITY_HEARTBEAT_INTERVAL_MS);
  process.stdout.write(
    `[long-haul Lambda crash] crashed ${victim!.id} at ~${doneAtCrashMs} ms of the haul (last heartbeat ` +
      `${resumedFrom.progressMs} ms): ${repeatedMs} ms repeated; attempt 2 ran ${retryRanMs} ms for the ` +
      `${restMs} ms left of the chunk\n`,
  );

  // The shipment's effect is recorded once, by createShipment after the haul; the crash left no trace in it.
  const effects = readJournalLines(path.join(dir, 'journal.jsonl')).filter((e) => e.orderId === order.orderId);
  expect(effects.map((e) => e.effect)).toEqual(['reserve', 'charge', 'ship', 'notify']);
}, 90_000);

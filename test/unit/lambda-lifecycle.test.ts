/** The Lambda lifecycle with injected fakes and a fake Lambda context, as the official package tests its own. */

import type { Context } from 'aws-lambda';
import type { Logger } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import { DEFAULT_SHUTDOWN_DEADLINE_BUFFER_MS, LAMBDA_WORKER_DEFAULTS } from '@temporalio/lambda-worker/lib/defaults';
import {
  createLambdaWorkerHandler,
  type LifecycleDependencies,
  type ShopFlowLambdaConfig,
} from '../../lambda/lifecycle';

const version = { deploymentName: 'shopflow', buildId: 'v9' };

function fakeContext(remainingMs: number | (() => number)): Context {
  const deadline = typeof remainingMs === 'number' ? Date.now() + remainingMs : undefined;
  return {
    awsRequestId: 'req-1',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:shopflow',
    getRemainingTimeInMillis: typeof remainingMs === 'function' ? remainingMs : () => deadline! - Date.now(),
  } as unknown as Context;
}

interface Fakes {
  deps: LifecycleDependencies;
  events: string[];
  workerOptions: () => WorkerOptions;
  logs: { level: string; message: string; meta?: Record<string, unknown> }[];
  /** Pretend an activity is in flight until this promise settles. */
  busyUntil?: Promise<void>;
}

function fakes(options: { failCreate?: boolean; connectDelayMs?: number } = {}): Fakes {
  const events: string[] = [];
  const logs: Fakes['logs'] = [];
  let captured: WorkerOptions | undefined;
  const fake: Fakes = {
    events,
    logs,
    workerOptions: () => captured!,
    deps: {
      connect: async () => {
        events.push('connect');
        if (options.connectDelayMs) await new Promise((r) => setTimeout(r, options.connectDelayMs));
        return { close: async () => void events.push('close') };
      },
      createWorker: async (workerOptions) => {
        captured = workerOptions;
        events.push('createWorker');
        if (options.failCreate) throw new Error('cannot create worker');
        let busy = false;
        void fake.busyUntil?.then(() => (busy = false));
        if (fake.busyUntil) busy = true;
        return {
          getStatus: () => ({ numInFlightActivities: busy ? 1 : 0, numInFlightWorkflowActivations: 0 }),
          runUntil: async (stop) => {
            events.push('run');
            await stop;
            events.push('stopped');
          },
        };
      },
      loadConnectConfig: () => ({ connectionOptions: { address: 'example:7233' }, namespace: 'ns' }),
      installRuntime: () => void events.push('installRuntime'),
      getLogger: () =>
        ({
          warn: (message: string, meta?: Record<string, unknown>) => logs.push({ level: 'warn', message, meta }),
          error: (message: string, meta?: Record<string, unknown>) => logs.push({ level: 'error', message, meta }),
          info: (message: string, meta?: Record<string, unknown>) => logs.push({ level: 'info', message, meta }),
          debug: () => {},
          trace: () => {},
          log: () => {},
        }) as unknown as Logger,
    },
  };
  return fake;
}

function handlerWith(f: Fakes, configure: (c: ShopFlowLambdaConfig) => void = () => {}) {
  return createLambdaWorkerHandler(
    version,
    (config) => {
      config.workerOptions.taskQueue = 'shopflow-orders';
      config.idleExitMs = 300;
      config.shutdownHooks.push(() => void f.events.push('hook'));
      configure(config);
    },
    f.deps,
  );
}

test('the official defaults, identity and versioning, with eager activities off', async () => {
  const f = fakes();
  await handlerWith(f)({}, fakeContext(20_000));
  const options = f.workerOptions();
  expect(options).toMatchObject({ ...LAMBDA_WORKER_DEFAULTS, maxEagerActivityReservationsPerWorkflowTask: 0 });
  expect(options.identity).toBe('req-1@arn:aws:lambda:us-east-1:123456789012:function:shopflow');
  expect(options.namespace).toBe('ns');
  expect(options.taskQueue).toBe('shopflow-orders');
  expect(options.workerDeploymentOptions).toEqual({
    version,
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'PINNED',
  });
});

test('idle exit: with nothing in flight the worker stops long before the deadline', async () => {
  const f = fakes();
  const started = Date.now();
  const summary = await handlerWith(f)({}, fakeContext(60_000));
  expect(summary.stopReason).toBe('no-task');
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(f.events).toEqual(['installRuntime', 'connect', 'createWorker', 'run', 'stopped', 'hook', 'close']);
});

test('idle exit waits while an activity is in flight', async () => {
  const f = fakes();
  f.busyUntil = new Promise((r) => setTimeout(r, 1_000));
  const started = Date.now();
  const summary = await handlerWith(f)({}, fakeContext(60_000));
  expect(summary.stopReason).toBe('idle');
  // Busy for 1 s, then idle for 300 ms; the worker's status is sampled every 100 ms.
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000 + 300 - 100);
});

test('first-task grace: an invocation that gets no task gives up sooner than one that just finished work', async () => {
  const f = fakes();
  const idleAfterWork = 1_500;
  const grace = 300;
  let started = Date.now();
  const nothing = await handlerWith(f, (c) => ((c.idleExitMs = idleAfterWork), (c.firstTaskGraceMs = grace)))(
    {},
    fakeContext(60_000),
  );
  expect(nothing).toMatchObject({ stopReason: 'no-task', activitiesStarted: 0, workflowActivations: 0 });
  expect(nothing.firstTaskAfterMs).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(idleAfterWork);

  // Busy for 400 ms (past the grace), then idle: it waits the full idle exit after the work, not the grace.
  f.busyUntil = new Promise((r) => setTimeout(r, 400));
  started = Date.now();
  const worked = await handlerWith(f, (c) => ((c.idleExitMs = idleAfterWork), (c.firstTaskGraceMs = grace)))(
    {},
    fakeContext(60_000),
  );
  expect(worked.stopReason).toBe('idle');
  expect(Date.now() - started).toBeGreaterThanOrEqual(400 + idleAfterWork - 100);
});

test("an invocation with no task keeps polling through the controller's scale-up cool-off, then gives up", async () => {
  const f = fakes();
  const started = Date.now();
  const summary = await handlerWith(f, (c) => {
    c.idleExitMs = 1_500;
    c.firstTaskGraceMs = 100;
    c.scaleUpCooloffMs = 800;
  })({}, fakeContext(60_000));
  expect(summary.stopReason).toBe('no-task');
  // The grace alone would end it after about 100 ms; the cool-off holds it open until 800 ms after it began.
  expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  expect(Date.now() - started).toBeLessThan(1_500);
});

test("workflow activations count as tasks, exactly, from the worker's in-flight activation count", async () => {
  const f = fakes();
  const create = f.deps.createWorker;
  f.deps.createWorker = async (options) => {
    const worker = await create(options);
    return {
      ...worker,
      // Like rxjs' BehaviorSubject: the current value at once, then one change per activation start and end.
      numInFlightActivations$: {
        subscribe: (next: (n: number) => void) => {
          const timers = [0, 1, 2, 1, 0, 1, 0].map((n, i) => setTimeout(() => next(n), i === 0 ? 0 : 50 + i * 10));
          return { unsubscribe: () => timers.forEach(clearTimeout) };
        },
      },
    };
  };
  const summary = await handlerWith(f, (c) => ((c.idleExitMs = 400), (c.firstTaskGraceMs = 100)))(
    {},
    fakeContext(60_000),
  );
  expect(summary).toMatchObject({ stopReason: 'idle', activitiesStarted: 0, workflowActivations: 3 });
  expect(summary.firstTaskAfterMs).toBeGreaterThanOrEqual(50);
  expect(summary.firstTaskAfterMs).toBeLessThan(100);
});

test('deadline exit: with idle exit off, the worker runs until the deadline minus the shutdown buffer', async () => {
  const f = fakes();
  const started = Date.now();
  const summary = await handlerWith(f, (c) => {
    c.idleExitMs = 0;
    c.shutdownDeadlineBufferMs = 500;
  })({}, fakeContext(2_000));
  expect(summary.stopReason).toBe('deadline');
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  expect(Date.now() - started).toBeLessThan(1_900);
});

test('a deadline too tight for the shutdown buffer is rejected before connecting', async () => {
  const f = fakes();
  const handler = handlerWith(f);
  await expect(handler({}, fakeContext(DEFAULT_SHUTDOWN_DEADLINE_BUFFER_MS + 1_000))).rejects.toThrow(
    /Insufficient time for Lambda worker before connecting: .*minimum: 1000ms\)\. Raise the function timeout/,
  );
  expect(f.events).toEqual(['installRuntime']);
});

test('a low deadline is warned about, and the work time is measured after connecting', async () => {
  const f = fakes({ connectDelayMs: 400 });
  const summary = await handlerWith(f, (c) => (c.shutdownDeadlineBufferMs = 500))({}, fakeContext(4_000));
  const warnings = f.logs.filter((l) => l.level === 'warn');
  expect(warnings.map((w) => w.meta?.when)).toEqual(['before connecting', 'after connecting']);
  // 4000 - 500 buffer, minus the 400 ms the connection took: the official lifecycle would have said 3500.
  expect(summary.workTimeMs).toBeLessThanOrEqual(3_100);
  expect(summary.connectMs).toBeGreaterThanOrEqual(390);
});

test('a slow connect that eats the buffer is caught after connecting, and the connection is still closed', async () => {
  const f = fakes({ connectDelayMs: 700 });
  const handler = handlerWith(f, (c) => (c.shutdownDeadlineBufferMs = 500));
  await expect(handler({}, fakeContext(2_100))).rejects.toThrow(/Insufficient time for Lambda worker after connecting/);
  expect(f.events).toEqual(['installRuntime', 'connect', 'hook', 'close']);
});

test('shutdown hooks and close run even when worker creation fails; a failing hook is logged, not fatal', async () => {
  const f = fakes({ failCreate: true });
  const handler = handlerWith(f, (c) => c.shutdownHooks.unshift(() => Promise.reject(new Error('hook broke'))));
  await expect(handler({}, fakeContext(20_000))).rejects.toThrow('cannot create worker');
  expect(f.events).toEqual(['installRuntime', 'connect', 'createWorker', 'hook', 'close']);
  expect(f.logs).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'Lambda worker shutdown hook failed' }),
  );
});

test('invocation hooks see the identity before the worker starts', async () => {
  const f = fakes();
  const seen: string[] = [];
  await handlerWith(f, (c) => c.invocationHooks.push((inv) => seen.push(inv.identity)))({}, fakeContext(20_000));
  expect(seen).toEqual(['req-1@arn:aws:lambda:us-east-1:123456789012:function:shopflow']);
});

test('a missing task queue is a clear error at load time', () => {
  const f = fakes();
  expect(() => createLambdaWorkerHandler(version, () => {}, f.deps)).toThrow(
    /taskQueue is required: .*TEMPORAL_TASK_QUEUE/,
  );
});

describe('the API key from the secret store', () => {
  test('is read once per environment, passed to the connection with TLS, and read again after a failure', async () => {
    const f = fakes();
    const connected: unknown[] = [];
    const connect = f.deps.connect;
    f.deps.connect = async (options) => {
      connected.push(options);
      return connect(options);
    };
    let reads = 0;
    f.deps.readApiKey = async () => {
      reads++;
      if (reads === 1) throw new Error('could not read the Temporal API key from secret s (ThrottlingException)');
      return 'key-from-the-store';
    };
    const handler = handlerWith(f, (c) => (c.idleExitMs = 10));
    await expect(handler({}, fakeContext(60_000))).rejects.toThrow('could not read the Temporal API key');
    expect(connected).toEqual([]);
    await handler({}, fakeContext(60_000));
    await handler({}, fakeContext(60_000));
    expect(reads).toBe(2);
    expect(connected).toEqual([
      { address: 'example:7233', apiKey: 'key-from-the-store', tls: true },
      { address: 'example:7233', apiKey: 'key-from-the-store', tls: true },
    ]);
  });
});

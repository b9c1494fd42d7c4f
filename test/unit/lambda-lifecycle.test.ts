/** The Lambda lifecycle with injected fakes and a fake Lambda context, as the official package tests its own. */

import type { Context } from 'aws-lambda';
import type { Logger } from '@temporalio/common';
import type { ActivityExecuteInput, WorkerOptions } from '@temporalio/worker';
import type { Context as ActivityContext } from '@temporalio/activity';
import { setTimeout as sleep } from 'node:timers/promises';
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

function fakes(options: { failCreate?: boolean; connectDelayMs?: number; createDelayMs?: number } = {}): Fakes {
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
        if (options.createDelayMs) await new Promise((r) => setTimeout(r, options.createDelayMs));
        if (options.failCreate) throw new Error('cannot create worker');
        let busy = false;
        void fake.busyUntil?.then(() => (busy = false));
        if (fake.busyUntil) busy = true;
        return {
          getStatus: () => ({
            numInFlightActivities: busy ? 1 : 0,
            numInFlightWorkflowActivations: 0,
            numCachedWorkflows: 0,
          }),
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
  // The same moment on the clock, for lining the summary up with the Invoke.
  const pollingStartedAt = summary.startedAt + summary.startupMs;
  expect(Math.abs(summary.firstTaskAt! - pollingStartedAt - summary.firstTaskAfterMs!)).toBeLessThanOrEqual(5);
});

/** What a scripted fake worker does once it runs: the tasks an invocation gets, in order. */
interface TaskScript {
  /** One workflow activation of `ms` (its workflow enters the cache); `cachedAfter` workflows stay cached after it. */
  activation(ms: number, cachedAfter: number): Promise<void>;
  /** One activity of `ms`, run through the lifecycle's activity interceptors as the SDK runs them. */
  activity(ms: number): Promise<void>;
  /** The cache changes between activations (the monitor samples it; it must not depend on how it changed). */
  setCached(workflows: number): void;
}

/** A worker with the SDK's in-flight activation stream and cache count, driven by `run` once it starts polling. */
function scriptedWorker(f: Fakes, run: (script: TaskScript) => Promise<void>): void {
  f.deps.createWorker = async (options) => {
    const listeners = new Set<(inFlight: number) => void>();
    let inFlight = 0;
    let cached = 0;
    const emit = () => listeners.forEach((next) => next(inFlight));
    const interceptors = (options.interceptors?.activity ?? []).map((factory) => factory({} as ActivityContext));
    const script: TaskScript = {
      activation: async (ms, cachedAfter) => {
        inFlight++;
        cached = Math.max(cached, 1);
        emit();
        await sleep(ms);
        cached = cachedAfter;
        inFlight--;
        emit();
      },
      activity: async (ms) => {
        const execute = interceptors.reduceRight<(input: ActivityExecuteInput) => Promise<unknown>>(
          (next, interceptor) => (input) => interceptor.inbound!.execute!(input, next),
          () => sleep(ms),
        );
        await execute({} as ActivityExecuteInput);
      },
      setCached: (workflows) => (cached = workflows),
    };
    return {
      getStatus: () => ({
        numInFlightActivities: 0, // counted by the interceptor
        numInFlightWorkflowActivations: inFlight,
        numCachedWorkflows: cached,
      }),
      numInFlightActivations$: {
        subscribe: (next: (n: number) => void) => {
          listeners.add(next);
          next(inFlight);
          return { unsubscribe: () => listeners.delete(next) };
        },
      },
      runUntil: async (stop) => {
        void run(script);
        await stop;
      },
    };
  };
}

/** A lone order as one invocation runs it: workflow tasks around an activity, then the completion's eviction. */
async function loneOrder(script: TaskScript): Promise<void> {
  await script.activation(20, 1);
  await script.activity(50);
  await script.activation(20, 1);
  await script.activation(5, 0); // the completed workflow's eviction
}

describe('cache-empty exit', () => {
  const idleExitMs = 2_000;
  const emptyCacheExitMs = 200;
  const withCacheExit = (c: ShopFlowLambdaConfig) => {
    c.idleExitMs = idleExitMs;
    c.firstTaskGraceMs = 100;
    c.emptyCacheExitMs = emptyCacheExitMs;
  };

  test('once the last workflow has left the cache, the worker stops after the short grace, not the idle exit', async () => {
    const f = fakes();
    scriptedWorker(f, loneOrder);
    const started = Date.now();
    const summary = await handlerWith(f, withCacheExit)({}, fakeContext(60_000));
    expect(summary).toMatchObject({ stopReason: 'cache-empty', activitiesStarted: 1, workflowActivations: 3 });
    // About 95 ms of work, then the grace; the status is sampled every 100 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(95 + emptyCacheExitMs);
    expect(Date.now() - started).toBeLessThan(95 + emptyCacheExitMs + 500);
  });

  test('while a workflow stays cached (its next task would come on the sticky queue), it waits the idle exit', async () => {
    const f = fakes();
    scriptedWorker(f, async (script) => {
      await script.activation(20, 1);
      await script.activity(50);
      await script.activation(20, 1); // the workflow waits on a timer, say: still open, still cached
    });
    const started = Date.now();
    const summary = await handlerWith(f, withCacheExit)({}, fakeContext(60_000));
    expect(summary.stopReason).toBe('idle');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90 + idleExitMs - 100);
  });

  test('a cache that empties later stops the worker a grace after it emptied', async () => {
    const f = fakes();
    const emptiedAfterMs = 800;
    scriptedWorker(f, async (script) => {
      await script.activation(20, 1);
      await sleep(emptiedAfterMs);
      script.setCached(0);
    });
    const started = Date.now();
    const summary = await handlerWith(f, withCacheExit)({}, fakeContext(60_000));
    expect(summary.stopReason).toBe('cache-empty');
    // The cache is sampled every 100 ms (the monitor's poll): the grace counts from the last sample that saw it
    // occupied, which can be up to one poll before it emptied.
    expect(Date.now() - started).toBeGreaterThanOrEqual(emptiedAfterMs + emptyCacheExitMs - 100);
    expect(Date.now() - started).toBeLessThan(idleExitMs);
  });

  test('an activity that finished after the last workflow task keeps the idle exit: its workflow may owe a task', async () => {
    const f = fakes();
    scriptedWorker(f, async (script) => {
      await script.activation(20, 1);
      script.setCached(0); // evicted while its activity runs: the server still sends its next task to our sticky queue
      await script.activity(50);
    });
    const started = Date.now();
    const summary = await handlerWith(f, withCacheExit)({}, fakeContext(60_000));
    expect(summary).toMatchObject({ stopReason: 'idle', activitiesStarted: 1, workflowActivations: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70 + idleExitMs - 100);
  });

  test('an activity whose workflow never ran here owes this worker nothing: the grace applies', async () => {
    const f = fakes();
    // A failover retry: the workflow lives on another worker; its next task goes to the normal queue.
    scriptedWorker(f, (script) => script.activity(50));
    const started = Date.now();
    const summary = await handlerWith(f, withCacheExit)({}, fakeContext(60_000));
    expect(summary).toMatchObject({ stopReason: 'cache-empty', activitiesStarted: 1, workflowActivations: 0 });
    expect(Date.now() - started).toBeLessThan(50 + emptyCacheExitMs + 500);
  });

  test('set to 0, the rule is off: the idle exit applies as before', async () => {
    const f = fakes();
    scriptedWorker(f, loneOrder);
    const started = Date.now();
    const summary = await handlerWith(f, (c) => (withCacheExit(c), (c.emptyCacheExitMs = 0)))({}, fakeContext(60_000));
    expect(summary.stopReason).toBe('idle');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95 + idleExitMs - 100);
  });

  test("it never stops inside the controller's scale-up cool-off", async () => {
    const f = fakes();
    scriptedWorker(f, loneOrder);
    const cooloffMs = 1_000;
    const started = Date.now();
    const summary = await handlerWith(f, (c) => (withCacheExit(c), (c.scaleUpCooloffMs = cooloffMs)))(
      {},
      fakeContext(60_000),
    );
    expect(summary.stopReason).toBe('cache-empty');
    expect(Date.now() - started).toBeGreaterThanOrEqual(cooloffMs);
    expect(Date.now() - started).toBeLessThan(idleExitMs);
  });

  test('before the first task the first-task grace applies, not the shorter cache-empty grace', async () => {
    const f = fakes();
    const grace = 600;
    scriptedWorker(f, async () => {});
    const started = Date.now();
    const summary = await handlerWith(f, (c) => (withCacheExit(c), (c.firstTaskGraceMs = grace)))(
      {},
      fakeContext(60_000),
    );
    expect(summary.stopReason).toBe('no-task');
    expect(Date.now() - started).toBeGreaterThanOrEqual(grace);
  });
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

test('the summary times the start: when the handler ran, connecting, creating the worker, the first task', async () => {
  const f = fakes({ connectDelayMs: 100, createDelayMs: 200 });
  const called = Date.now();
  const summary = await handlerWith(f, (c) => ((c.idleExitMs = 100), (c.firstTaskGraceMs = 50)))(
    {},
    fakeContext(60_000),
  );
  expect(summary.startedAt).toBeGreaterThanOrEqual(called);
  expect(summary.startedAt).toBeLessThan(called + 50);
  expect(summary.connectMs).toBeGreaterThanOrEqual(90);
  expect(summary.workerCreateMs).toBeGreaterThanOrEqual(190);
  expect(summary.workerCreateMs).toBeLessThan(summary.startupMs - summary.connectMs + 1);
  // No task came: nothing to time.
  expect(summary.firstTaskAt).toBeUndefined();
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

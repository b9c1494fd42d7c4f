/** The entry's load marks reach the first invocation's summary only, and the breakdown reads them back. */

import { coldStartBreakdown } from '../../machinery/bench/cold-start-breakdown';
import { withLoadMarks } from '../../machinery/lambda-entry/load-marks';

test("the load marks ride on the environment's first summary, not on later ones", async () => {
  const handler = withLoadMarks(async () => ({ stopReason: 'idle' }), 2_000);
  const first = await handler({}, {});
  expect(first.load).toMatchObject({ loadedAt: 2_000 });
  expect(first.load!.processStartedAt).toBeLessThanOrEqual(first.load!.loadStartedAt);
  expect((await handler({}, {})).load).toBeUndefined();
});

test('a cold start cuts into parts that add up to the whole; a summary without marks says why', () => {
  const summary = {
    load: { processStartedAt: 1_010, loadStartedAt: 1_050, loadedAt: 1_250 },
    startedAt: 1_260,
    startupMs: 400,
    workerCreateMs: 300,
    firstTaskAt: 1_700,
  };
  const moments = { workflowTaskCompletedAt: 1_750, activityStartedAt: 1_770, activityCompletedAt: 1_900 };
  const parts = coldStartBreakdown(1_000, moments, JSON.stringify(summary), 245);
  expect(parts).toEqual({
    processAndRuntimeInit: 50,
    handlerLoad: 200,
    runtimeHandOff: 10,
    connect: 100,
    workerCreate: 300,
    firstPoll: 40,
    firstTask: 200,
    workflowTask: 50,
    activityDispatch: 20,
    activityRun: 130,
    totalMs: 900,
    initDurationMs: 245,
  });
  expect(coldStartBreakdown(1_000, moments, undefined)).toMatch(/returned no summary \(it failed\)/);
  expect(coldStartBreakdown(1_000, moments, JSON.stringify({ startedAt: 1 }))).toMatch(/lacks its load marks/);
});

import { renderMetricsChart } from '../../machinery/deployment/metrics-chart';

const row = (minute: number, invocations: number, concurrency = 0) => ({
  time: new Date(Date.UTC(2026, 10, 22, 10, minute)),
  invocations,
  errors: invocations > 3 ? 1 : 0,
  throttles: 0,
  concurrency,
  avgDurationMs: 4_200,
});

test('bars scale with invocations, quiet minutes show a dot, and the end says when nothing runs', () => {
  const chart = renderMetricsChart('shopflow-worker', [row(0, 6, 2), row(1, 3, 1), row(2, 0)], 60);
  const lines = chart.split('\n');
  expect(lines[0]).toBe('Lambda shopflow-worker: invocations per 1 min');
  expect(lines[2]).toMatch(/^10:00 {2}█{30} 6 +1 +0 +2 +4\.2 s$/);
  expect(lines[3]).toMatch(/^10:01 {2}█{15} 3 /);
  expect(lines[4]).toMatch(/^10:02 {2}· 0 /);
  expect(lines[5]).toBe('9 invocation(s) in the window; none running now: nothing is billed while there is no work.');
});

test('a busy last bucket is reported as still working', () => {
  expect(renderMetricsChart('f', [row(0, 1, 1)], 10)).toMatch(/per 10 s[\s\S]*still working\.$/);
});

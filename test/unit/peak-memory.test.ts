/** Max Memory Used for the local Lambda's REPORT lines: /proc's VmHWM on Linux, `ps` elsewhere, the peak kept. */

import { PeakMemory, procPeakRssKib, psRssKib } from '../../machinery/lambda-local/peak-memory';

const STATUS = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  180224 kB\nVmRSS:\t  150000 kB\n';

test('the peak resident size comes from VmHWM, not VmPeak (virtual) or VmRSS (now)', () => {
  expect(procPeakRssKib(42, () => STATUS)).toBe(180224);
  expect(procPeakRssKib(42, () => 'Name:\tnode\n')).toBeUndefined();
  expect(
    procPeakRssKib(42, () => {
      throw new Error('ENOENT');
    }),
  ).toBeUndefined();
});

test('the peak is kept across readings, rounded up to whole MB; a failed reading keeps the last peak', () => {
  const readings = [100 * 1024 + 1, 50 * 1024, undefined];
  const peak = new PeakMemory([() => readings.shift()]);
  expect(peak.sample(1)).toBe(101);
  expect(peak.sample(1)).toBe(101);
  expect(peak.sample(1)).toBe(101);
  expect(new PeakMemory([() => undefined]).sample(1)).toBeUndefined();
});

test('falls back to the next reader when the first cannot read', () => {
  const peak = new PeakMemory([() => undefined, () => 2048]);
  expect(peak.sample(7)).toBe(2);
});

test('this very process: both readers see a real, plausible resident size', () => {
  const fromPs = psRssKib(process.pid);
  expect(fromPs).toBeGreaterThan(10 * 1024);
  if (process.platform === 'linux') {
    // The peak can only be at or above what is resident now.
    expect(procPeakRssKib(process.pid)).toBeGreaterThanOrEqual(fromPs! * 0.9);
  }
  expect(psRssKib(2 ** 22 + 12345)).toBeUndefined();
});

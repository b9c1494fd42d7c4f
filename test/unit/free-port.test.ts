/** A port chosen for a second listener never repeats one chosen, but not yet bound, for the first. */

import { freePortOtherThan } from '../../machinery/plumbing/ports';

test('a choice equal to a taken port is made again', async () => {
  const offers = [7233, 8233, 7233, 41000];
  const choose = async () => offers.shift()!;
  expect(await freePortOtherThan([7233, 8233], choose)).toBe(41000);
});

test('by default it asks the OS, and skips what is taken', async () => {
  const first = await freePortOtherThan([]);
  expect(await freePortOtherThan([first])).not.toBe(first);
});

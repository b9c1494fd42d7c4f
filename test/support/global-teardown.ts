/** Stops the local stack that global-setup started (the dev server, then the local Lambda service). */

import type { Stage } from '../../machinery/devstack/stage';
import { TEST_STAGE_KEY } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>)[TEST_STAGE_KEY] as Stage | undefined)?.stopAll();
}

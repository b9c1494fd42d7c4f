/**
 * Stops the local stack that global-setup started (the dev server, then the local Lambda service), then removes the
 * run's work folder, which lives outside /tmp (/var/tmp) and would otherwise pile up run after run. Set
 * SHOPFLOW_KEEP_TEST_WORK_DIR=1 to keep it for a look at the logs.
 */

import fs from 'node:fs';
import type { Stage } from '../../machinery/devstack/stage';
import { TEST_ENV, TEST_STAGE_KEY } from './test-env';

export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>)[TEST_STAGE_KEY] as Stage | undefined)?.stopAll();
  const workDir = process.env[TEST_ENV.workDir];
  if (workDir && !process.env.SHOPFLOW_KEEP_TEST_WORK_DIR) fs.rmSync(workDir, { recursive: true, force: true });
}

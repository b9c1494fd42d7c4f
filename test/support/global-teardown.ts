/** Stops the dev server that global-setup started. */

import type { DevServer } from '../../scripts/lib/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__shopflowDevServer as DevServer | undefined;
  await server?.stop();
}

/** Stops the dev server and the local Lambda service that global-setup started. */

import type { LocalLambda } from '../../lambda-local/local-lambda';
import type { DevServer } from '../../devstack/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__shopflowDevServer as DevServer | undefined;
  await server?.stop();
  const lambda = (globalThis as Record<string, unknown>).__shopflowLocalLambda as LocalLambda | undefined;
  await lambda?.close();
}

/**
 * A namespace of its own on the test dev server, for orders submitted by the real starter (task queue
 * shopflow-orders): no worker of another test file polls there, so those orders stay untouched.
 */

import { Client, Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporalCli } from './temporal-cli-run';
import { testEnv } from './test-env';
import { uniqueName } from './test-worker';

export async function createScratchNamespace(prefix: string): Promise<string> {
  const namespace = uniqueName(prefix);
  const created = await temporalCli('operator', 'namespace', 'create', '--namespace', namespace, '--retention', '24h');
  if (created.code !== 0) throw new Error(`cannot create namespace ${namespace}: ${created.stderr}`);
  // A new namespace takes a moment to reach the frontend's cache.
  const connection = await Connection.connect({ address: testEnv('address') });
  try {
    const client = new Client({ connection, namespace });
    for (let i = 0; ; i++) {
      try {
        await client.workflow.count();
        return namespace;
      } catch (err) {
        if (i >= 60) throw err;
        await sleep(250);
      }
    }
  } finally {
    await connection.close();
  }
}

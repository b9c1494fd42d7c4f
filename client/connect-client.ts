/** A Temporal client for the profile in temporal.toml / TEMPORAL_* (see config/connection.ts). */

import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectionConfig } from '../config/connection';

export async function connectClient(config: TemporalConnectionConfig): Promise<Client> {
  const { address, tls, apiKey, metadata } = config.connectionOptions;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, tls, apiKey, metadata, connectTimeout: 5_000 });
  } catch (err) {
    const local = /^(127\.0\.0\.1|localhost)(:|$)/.test(address ?? '');
    const hint = local
      ? 'Is the dev server running? Start it with `npm run dev-server`.'
      : 'Check the profile (TEMPORAL_PROFILE), credentials and network.';
    throw new Error(`Cannot connect to Temporal at ${config.summary}: ${(err as Error).message}\n${hint}`);
  }
  return new Client({ connection, namespace: config.namespace });
}

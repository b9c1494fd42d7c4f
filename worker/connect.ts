/** Connects to Temporal, turning the usual first-run failure into an instruction. */

import { NativeConnection } from '@temporalio/worker';
import type { TemporalConnectionConfig } from '../config/connection';

export async function connectToTemporal(config: TemporalConnectionConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(config.connectionOptions);
  } catch (err) {
    const local = /^(127\.0\.0\.1|localhost)(:|$)/.test(config.connectionOptions.address ?? '');
    const hint = local
      ? 'Is the dev server running? Start it with `npm run dev-server` in another terminal.'
      : 'Check the address, namespace and credentials of the profile (TEMPORAL_PROFILE) and your network.';
    throw new Error(`Cannot connect to Temporal at ${config.summary}: ${(err as Error).message}\n${hint}`);
  }
}

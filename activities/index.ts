/** The activities a ShopFlow worker registers by default: the simulated services over the configured ledger. */

import type { ShopFlowEnvironment } from '../config/environment';
import type { OrderActivities } from '../domain/activity-contract';
import { createActivities } from './create-activities';
import { openLedger } from './ledger/open-ledger';
import { scaledLatency } from './simulated/latency';
import { createSimulatedServices } from './simulated/simulated-services';

export { createActivities } from './create-activities';
export { EffectJournal } from './journal';
export type { EffectLedger } from './ledger/effect-ledger';

export function createDefaultActivities(
  environment: Pick<ShopFlowEnvironment, 'ledger' | 'latencyScale'>,
  workerIdentity: () => string,
): OrderActivities {
  const journal = openLedger(environment.ledger);
  const services = createSimulatedServices({ journal, latency: scaledLatency(environment.latencyScale) });
  return createActivities({ services, workerIdentity });
}

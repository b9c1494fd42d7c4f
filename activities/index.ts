/** The activities a ShopFlow worker registers by default: the simulated services over the shared journal. */

import type { ShopFlowEnvironment } from '../config/environment';
import type { OrderActivities } from '../domain/activity-contract';
import { createActivities } from './create-activities';
import { EffectJournal } from './journal';
import { scaledLatency } from './simulated/latency';
import { createSimulatedServices } from './simulated/simulated-services';

export { createActivities } from './create-activities';
export { EffectJournal } from './journal';

export function createDefaultActivities(
  environment: Pick<ShopFlowEnvironment, 'journalPath' | 'latencyScale'>,
  workerIdentity: () => string,
): OrderActivities {
  const journal = new EffectJournal(environment.journalPath);
  const services = createSimulatedServices({ journal, latency: scaledLatency(environment.latencyScale) });
  return createActivities({ services, workerIdentity });
}

/** Orders for tests: the starter's sample, with a unique id and optional faults. */

import type { FaultPlan } from '../../domain/faults';
import type { Order } from '../../domain/order';
import type { Scenario } from '../../domain/scenarios';
import { sampleOrder } from '../../client/sample-order';
import { uniqueName } from './test-worker';

export function testOrder(scenario: Scenario = 'happy', faults?: FaultPlan): Order {
  const order = sampleOrder(uniqueName('t'), scenario);
  return faults ? { ...order, faults } : order;
}

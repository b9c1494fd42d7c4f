/**
 * Simulated inventory, payment, shipping and notification services. They take realistic time, act out the
 * order's scenario and faults (see domain/scenarios.ts), and record every effect in the journal exactly once.
 */

import { ACTIVITY_HEARTBEAT_TIMEOUT_MS } from '../../config/settings';
import type { EffectLedger } from '../ledger/effect-ledger';
import type { ShopFlowServices } from '../services';
import { simulatedInventory } from './inventory-service';
import { REALISTIC_LATENCY_MS, type LatencyProfile } from './latency';
import { simulatedNotifications } from './notification-service';
import { simulatedPayments } from './payment-service';
import type { Simulation } from './simulated-call';
import { simulatedShipping } from './shipping-service';

export interface SimulationOptions {
  /** Where effects are recorded: the journal file or the shared DynamoDB table. */
  journal: EffectLedger;
  latency?: LatencyProfile;
  /** How long a "timeout after effect" attempt stays silent: past the heartbeat timeout, so the server retries. */
  stallMs?: number;
}

export function createSimulatedServices(options: SimulationOptions): ShopFlowServices {
  const simulation: Simulation = {
    journal: options.journal,
    latency: options.latency ?? REALISTIC_LATENCY_MS,
    stallMs: options.stallMs ?? ACTIVITY_HEARTBEAT_TIMEOUT_MS + 2_000,
  };
  return {
    inventory: simulatedInventory(simulation),
    payments: simulatedPayments(simulation),
    shipping: simulatedShipping(simulation),
    notifications: simulatedNotifications(simulation),
  };
}

/** The baseline's no-op activities. */

import type { BaselineActivities } from './workflow';

const noop = async (orderId: string): Promise<string> => orderId;

export const baselineActivities: BaselineActivities = { step1: noop, step2: noop, step3: noop, step4: noop };

/**
 * The control routes' bodies as JSON schemas: fastify checks each with ajv before its handler runs (with type
 * coercion off, so "3" is not a count). The same rules as control-input.ts, whose words the refusals keep.
 */

import { CONSOLE_MAX_ORDERS_PER_SUBMIT, CONSOLE_MIN_ORDERS_PER_SUBMIT } from '../../config/console';
import { SCENARIOS } from '../../domain/scenarios';
import { BUILD_ID } from './control-input';

/** POST /api/orders: {"scenario":"happy","count":1}. */
export const SUBMIT_BODY = {
  type: 'object',
  required: ['scenario', 'count'],
  properties: {
    scenario: { type: 'string', enum: [...SCENARIOS] },
    count: { type: 'integer', minimum: CONSOLE_MIN_ORDERS_PER_SUBMIT, maximum: CONSOLE_MAX_ORDERS_PER_SUBMIT },
  },
} as const;

/** POST /api/worker/kill: {"signal":"SIGKILL"} or {"signal":"SIGINT"}. */
export const KILL_BODY = {
  type: 'object',
  required: ['signal'],
  properties: { signal: { type: 'string', enum: ['SIGKILL', 'SIGINT'] } },
} as const;

/** POST /api/orders/:workflowId/cancel: {} or {"reason":"…"}. */
export const CANCEL_BODY = {
  type: 'object',
  // ajv counts code points, the hand check UTF-16 units: the handler's hand check still holds the stricter line.
  properties: { reason: { type: 'string', maxLength: 200 } },
} as const;

/** POST /api/redeploy: {"from":"v2"}, the Current Version the page showed. */
export const REDEPLOY_BODY = {
  type: 'object',
  required: ['from'],
  properties: { from: { type: 'string', pattern: BUILD_ID.source } },
} as const;

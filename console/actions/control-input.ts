/** Checks what the page asks for before anything starts: a bounded count, a known scenario, an order on the board. */

import { CONSOLE_MAX_ORDERS_PER_SUBMIT, CONSOLE_MIN_ORDERS_PER_SUBMIT } from '../../config/console';
import { SCENARIOS, isScenario, type Scenario } from '../../domain/scenarios';

export class ControlInputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ControlInputError';
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ControlInputError('the request body must be a JSON object, for example {"scenario":"happy","count":1}');
  }
  return body as Record<string, unknown>;
}

export function parseSubmitRequest(body: unknown): { scenario: Scenario; count: number } {
  const { scenario, count } = asObject(body);
  if (!isScenario(scenario)) {
    throw new ControlInputError(
      `unknown scenario ${JSON.stringify(scenario)?.slice(0, 40)}: choose one of ${SCENARIOS.join(', ')}`,
    );
  }
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < CONSOLE_MIN_ORDERS_PER_SUBMIT ||
    count > CONSOLE_MAX_ORDERS_PER_SUBMIT
  ) {
    throw new ControlInputError(
      `count ${JSON.stringify(count)?.slice(0, 40)} is out of range: submit a whole number of orders from ` +
        `${CONSOLE_MIN_ORDERS_PER_SUBMIT} to ${CONSOLE_MAX_ORDERS_PER_SUBMIT}`,
    );
  }
  return { scenario, count };
}

export function parseKillRequest(body: unknown): { signal: 'SIGKILL' | 'SIGINT' } {
  const { signal } = asObject(body);
  if (signal !== 'SIGKILL' && signal !== 'SIGINT') {
    throw new ControlInputError(
      `signal ${JSON.stringify(signal)?.slice(0, 40)} is not allowed: ` +
        'use SIGKILL (no goodbye) or SIGINT (Ctrl+C: drain)',
    );
  }
  return { signal };
}

export function parseCancelRequest(body: unknown): { reason?: string } {
  const { reason } = asObject(body);
  if (reason === undefined) return {};
  if (typeof reason !== 'string' || reason.length > 200)
    throw new ControlInputError('reason must be text of at most 200 characters');
  return { reason };
}

/** A build id: what `from` names, in the hand check and in the route's JSON schema (control-schemas.ts). */
export const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** "Ship the next build": `from` is the Current Version the page showed, so a stale page cannot ship twice. */
export function parseRedeployRequest(body: unknown): { from: string } {
  const { from } = asObject(body);
  if (typeof from !== 'string' || !BUILD_ID.test(from)) {
    throw new ControlInputError(
      `from ${JSON.stringify(from)?.slice(0, 40)} is not a build id: send the Current Version the page shows, ` +
        'for example {"from":"v2"}',
    );
  }
  return { from };
}

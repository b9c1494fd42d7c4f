/**
 * The page's control routes. Each body is declared as a JSON schema (fastify validates it with ajv before the
 * handler); a refusal keeps the console's own words, from the hand check in actions/control-input.ts, which the
 * handler runs again for its typed input. The request guard (console-server.ts) has run before any of this.
 */

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ControlInputError,
  parseCancelRequest,
  parseKillRequest,
  parseRedeployRequest,
  parseSubmitRequest,
} from './actions/control-input';
import { CANCEL_BODY, KILL_BODY, REDEPLOY_BODY, SUBMIT_BODY } from './actions/control-schemas';
import type { ConsoleHub } from './console-hub';
import type { ConsoleControls, ControlReply } from './console-types';

interface ControlRoute<Input> {
  url: string;
  /** The body's JSON schema; absent for a route that reads no body (the page sends {}). */
  body?: object;
  /** The hand check: the typed input, or a ControlInputError that says what to send. */
  parse: (body: unknown) => Input;
  run: (input: Input, controls: ConsoleControls, request: FastifyRequest) => Promise<ControlReply>;
}

/** Refused: recorded in the log, answered with the status and the words of the error. */
function refuse(hub: ConsoleHub, reply: FastifyReply, err: unknown): FastifyReply {
  const status = err instanceof ControlInputError ? err.status : 500;
  const message = (err as Error).message;
  hub.record(status === 500 ? 'error' : 'control', `refused: ${message}`);
  return reply.code(status).send({ ok: false, message } satisfies ControlReply);
}

/** The schema refused the body: the hand check says why in the console's words (ajv's, should it let it pass). */
function schemaRefusal(error: FastifyError, body: unknown, parse: (body: unknown) => unknown): ControlInputError {
  try {
    parse(body);
  } catch (err) {
    if (err instanceof ControlInputError) return err;
  }
  return new ControlInputError(`the request ${error.message}`);
}

function controlRoute<Input>(
  app: FastifyInstance,
  hub: ConsoleHub,
  controls: ConsoleControls | undefined,
  route: ControlRoute<Input>,
): void {
  app.post(
    route.url,
    {
      ...(route.body && { schema: { body: route.body } }),
      // Cloud mode has no controls: said before the body is validated, whatever it holds.
      preValidation: async (_request, reply) => {
        if (controls) return;
        return reply.code(404).send({ ok: false, message: 'controls exist only in local mode' } satisfies ControlReply);
      },
      errorHandler: (error, request, reply) => {
        // Not the schema's (a body that is not JSON, too large): fastify's usual answer.
        if (!error.validation) throw error;
        return refuse(hub, reply, schemaRefusal(error, request.body, route.parse));
      },
    },
    async (request, reply) => {
      try {
        return await route.run(route.parse(request.body), controls!, request);
      } catch (err) {
        return refuse(hub, reply, err);
      }
    },
  );
}

function submitRoute(hub: ConsoleHub): ControlRoute<ReturnType<typeof parseSubmitRequest>> {
  return {
    url: '/api/orders',
    body: SUBMIT_BODY,
    parse: parseSubmitRequest,
    run: async ({ scenario, count }, controls) => {
      const workflowIds = await controls.submit(scenario, count);
      hub.record('control', `submitted ${count} "${scenario}" order(s)`);
      return { ok: true, message: `submitted ${workflowIds.length} "${scenario}" order(s)`, workflowIds };
    },
  };
}

function cancelRoute(hub: ConsoleHub): ControlRoute<ReturnType<typeof parseCancelRequest>> {
  return {
    url: '/api/orders/:workflowId/cancel',
    body: CANCEL_BODY,
    parse: parseCancelRequest,
    run: async ({ reason }, controls, request) => {
      const { workflowId } = request.params as { workflowId: string };
      if (!hub.order(workflowId))
        throw new ControlInputError(`no order ${JSON.stringify(workflowId.slice(0, 80))} on the board`, 404);
      const message = await controls.cancel(workflowId, reason);
      hub.record('control', `cancel ${workflowId}: ${message}`);
      return { ok: true, message };
    },
  };
}

function killRoute(hub: ConsoleHub): ControlRoute<ReturnType<typeof parseKillRequest>> {
  return {
    url: '/api/worker/kill',
    body: KILL_BODY,
    parse: parseKillRequest,
    run: async ({ signal }, controls) => {
      if (!controls.worker)
        throw new ControlInputError('this console did not start a local worker, so it does not stop one', 409);
      let pid: number;
      try {
        pid = controls.worker.kill(signal);
      } catch (err) {
        throw new ControlInputError((err as Error).message, 409);
      }
      const how = signal === 'SIGKILL' ? 'SIGKILL: no goodbye' : 'SIGINT: draining in-flight tasks';
      hub.record('kill', `local worker pid ${pid} sent ${how}`);
      return { ok: true, message: `local worker pid ${pid} sent ${signal}` };
    },
  };
}

function startWorkerRoute(): ControlRoute<void> {
  return {
    url: '/api/worker/start',
    parse: () => {},
    run: async (_input, controls) => {
      if (!controls.worker) throw new ControlInputError('this console does not manage a local worker', 409);
      try {
        await controls.worker.start();
      } catch (err) {
        throw new ControlInputError((err as Error).message, 409);
      }
      return { ok: true, message: 'local worker started and polling' };
    },
  };
}

function redeployRoute(hub: ConsoleHub): ControlRoute<ReturnType<typeof parseRedeployRequest>> {
  return {
    url: '/api/redeploy',
    body: REDEPLOY_BODY,
    parse: parseRedeployRequest,
    run: async ({ from }, controls) => {
      if (!controls.redeploy)
        throw new ControlInputError('this console has no Lambda function to redeploy (local mode only)', 409);
      const message = await controls.redeploy.shipNext(from);
      hub.record('control', message);
      return { ok: true, message };
    },
  };
}

/** Submit, cancel, kill, start and redeploy: 404 when the console has no controls (cloud mode). */
export function registerControlRoutes(
  app: FastifyInstance,
  hub: ConsoleHub,
  controls: ConsoleControls | undefined,
): void {
  controlRoute(app, hub, controls, submitRoute(hub));
  controlRoute(app, hub, controls, cancelRoute(hub));
  controlRoute(app, hub, controls, killRoute(hub));
  controlRoute(app, hub, controls, startWorkerRoute());
  controlRoute(app, hub, controls, redeployRoute(hub));
}

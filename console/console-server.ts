/** The console's HTTP face (fastify, 127.0.0.1 only): the page, its live feed (Server-Sent Events) and controls. */

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Scenario } from '../domain/scenarios';
import {
  ControlInputError,
  parseCancelRequest,
  parseKillRequest,
  parseRedeployRequest,
  parseSubmitRequest,
} from './actions/control-input';
import type { ConsoleHub } from './console-hub';
import type { ConsoleMessage, ControlReply } from './console-types';
import { RequestGuard } from './request-guard';
import { indexHtml, type WebBundle } from './web-bundle';

/** What the controls do; absent in cloud mode, where the console only watches. */
export interface ConsoleControls {
  submit(scenario: Scenario, count: number): Promise<string[]>;
  cancel(workflowId: string, reason: string | undefined): Promise<string>;
  /** Only a worker the console (or the demo) started itself. */
  worker?: { start(): Promise<void>; kill(signal: 'SIGKILL' | 'SIGINT'): number };
  /** "Ship the next build" after the Current Version `from`; resolves once it has started (it runs on). */
  redeploy?: { shipNext(from: string): Promise<string> };
}

export interface ConsoleServerOptions {
  hub: ConsoleHub;
  bundle: WebBundle;
  token: string;
  title: string;
  controls?: ConsoleControls;
  /** The demo's "Next act" (as Enter in its terminal); absent when no story is being told. */
  onNextAct?: () => void;
}

const SSE_KEEPALIVE_MS = 15_000;

export function createConsoleServer(options: ConsoleServerOptions): FastifyInstance {
  const { hub, bundle, controls } = options;
  // Open event streams must not hold up a shutdown.
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024, forceCloseConnections: true });
  const guard = new RequestGuard(() => {
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }, options.token);
  const page = indexHtml(options.token, options.title);

  app.addHook('onRequest', async (request, reply) => {
    const problem = guard.checkHost(request.headers.host);
    if (problem) return reply.code(403).type('text/plain').send(problem);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const refused = guard.checkControl(request.headers);
      if (refused) return reply.code(403).send({ ok: false, message: refused } satisfies ControlReply);
    }
  });

  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
      )
      .header('cache-control', 'no-store')
      .send(page),
  );
  // No icon: answered, so the browser logs no 404 for it.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  for (const [name, file] of bundle.files)
    app.get(name, async (_request, reply) => reply.type(file.type).send(file.body));

  app.get('/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (message: ConsoleMessage) => res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
    const unsubscribe = hub.subscribe(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  app.get('/api/state', async () => ({
    orders: hub.allOrders(),
    workers: hub.currentWorkers(),
    metrics: hub.currentMetrics(),
    log: hub.logEntries(),
    redeploy: hub.currentRedeploy(),
  }));

  const control =
    (handler: (request: FastifyRequest) => Promise<ControlReply>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!controls)
        return reply.code(404).send({ ok: false, message: 'controls exist only in local mode' } satisfies ControlReply);
      try {
        return await handler(request);
      } catch (err) {
        const status = err instanceof ControlInputError ? err.status : 500;
        const message = (err as Error).message;
        hub.record(status === 500 ? 'error' : 'control', `refused: ${message}`);
        return reply.code(status).send({ ok: false, message } satisfies ControlReply);
      }
    };

  app.post('/api/next-act', async (_request, reply) => {
    if (!options.onNextAct)
      return reply.code(404).send({
        ok: false,
        message: 'no demo is being told: "Next act" is for npm run demo -- --interactive',
      } satisfies ControlReply);
    if (!hub.currentAct()?.waitingForNext)
      return reply
        .code(409)
        .send({ ok: false, message: 'the demo is not waiting for the next act yet' } satisfies ControlReply);
    options.onNextAct();
    hub.record('control', 'next act (from the page)');
    return { ok: true, message: 'next act' } satisfies ControlReply;
  });

  app.post(
    '/api/orders',
    control(async (request) => {
      const { scenario, count } = parseSubmitRequest(request.body);
      const workflowIds = await controls!.submit(scenario, count);
      hub.record('control', `submitted ${count} "${scenario}" order(s)`);
      return { ok: true, message: `submitted ${workflowIds.length} "${scenario}" order(s)`, workflowIds };
    }),
  );
  app.post(
    '/api/orders/:workflowId/cancel',
    control(async (request) => {
      const { workflowId } = request.params as { workflowId: string };
      const { reason } = parseCancelRequest(request.body);
      if (!hub.order(workflowId))
        throw new ControlInputError(`no order ${JSON.stringify(workflowId.slice(0, 80))} on the board`, 404);
      const message = await controls!.cancel(workflowId, reason);
      hub.record('control', `cancel ${workflowId}: ${message}`);
      return { ok: true, message };
    }),
  );
  app.post(
    '/api/worker/kill',
    control(async (request) => {
      const { signal } = parseKillRequest(request.body);
      if (!controls!.worker)
        throw new ControlInputError('this console did not start a local worker, so it does not stop one', 409);
      let pid: number;
      try {
        pid = controls!.worker.kill(signal);
      } catch (err) {
        throw new ControlInputError((err as Error).message, 409);
      }
      const how = signal === 'SIGKILL' ? 'SIGKILL: no goodbye' : 'SIGINT: draining in-flight tasks';
      hub.record('kill', `local worker pid ${pid} sent ${how}`);
      return { ok: true, message: `local worker pid ${pid} sent ${signal}` };
    }),
  );
  app.post(
    '/api/worker/start',
    control(async () => {
      if (!controls!.worker) throw new ControlInputError('this console does not manage a local worker', 409);
      try {
        await controls!.worker.start();
      } catch (err) {
        throw new ControlInputError((err as Error).message, 409);
      }
      return { ok: true, message: 'local worker started and polling' };
    }),
  );
  app.post(
    '/api/redeploy',
    control(async (request) => {
      const { from } = parseRedeployRequest(request.body);
      if (!controls!.redeploy)
        throw new ControlInputError('this console has no Lambda function to redeploy (local mode only)', 409);
      const message = await controls!.redeploy.shipNext(from);
      hub.record('control', message);
      return { ok: true, message };
    }),
  );
  return app;
}
